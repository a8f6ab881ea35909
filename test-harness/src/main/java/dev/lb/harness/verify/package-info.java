/**
 * {@code lb verify}: {@link dev.lb.harness.verify.Verifier} runs every fault scenario against a user's configuration
 * with stand-in backends behind Toxiproxy, and {@link dev.lb.harness.verify.VerifyReport} renders the outcome as
 * tables or JSON.
 */
package dev.lb.harness.verify;
