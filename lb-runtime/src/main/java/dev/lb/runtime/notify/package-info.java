/** Delivery of health events to notifiers: bounded queues, one virtual thread each, retries with backoff. */
package dev.lb.runtime.notify;
