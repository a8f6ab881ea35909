/**
 * Backend pools at runtime: per-backend live figures and health ({@link dev.lb.runtime.pool.BackendState}), the pool
 * with its algorithm and current immutable picker ({@link dev.lb.runtime.pool.Pool}), and selection that never retries
 * the same backend twice ({@link dev.lb.runtime.pool.BackendSelector}).
 */
package dev.lb.runtime.pool;
