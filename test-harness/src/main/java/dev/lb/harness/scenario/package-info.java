/**
 * Fault scenarios: each {@link dev.lb.harness.scenario.Scenario} runs bounded client traffic through a load balancer
 * (a {@link dev.lb.harness.scenario.ScenarioTarget}) while it injects a fault with Toxiproxy and repairs it, and
 * returns a measured {@link dev.lb.harness.scenario.ScenarioResult}: requests, client errors, time to fail over,
 * time to recover, notifications, and the expectations not met. {@link dev.lb.harness.scenario.Scenarios#all()}
 * lists them.
 */
package dev.lb.harness.scenario;
