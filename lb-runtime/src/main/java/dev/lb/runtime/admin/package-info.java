/**
 * The admin listener: a small HTTP/1.1 server (Netty's codec) on its own thread, loopback by default and behind a
 * bearer token when bound elsewhere. It serves the status of listeners, pools and backends as JSON, drains and
 * enables backends, reloads the configuration, lists plugins, exposes {@code /metrics} in Prometheus text format, and
 * serves a live status page. See {@code docs/admin.md}.
 */
package dev.lb.runtime.admin;
