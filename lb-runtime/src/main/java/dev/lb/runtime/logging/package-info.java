/** Logging: logger levels set from the configuration, and the access log's line format. */
package dev.lb.runtime.logging;
