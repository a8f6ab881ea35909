/**
 * The Netty transport: event loops (epoll or NIO), channel types and the pooled allocator; and the listener
 * lifecycle every protocol shares ({@link dev.lb.runtime.transport.AbstractListener}).
 */
package dev.lb.runtime.transport;
