/**
 * JUnit 5 support: {@link dev.lb.harness.junit.LoadBalancerTest} / {@link dev.lb.harness.junit.LbExtension} give test
 * methods load balancers in front of dummy backends behind real Toxiproxy fault proxies, closed after each test.
 */
package dev.lb.harness.junit;
