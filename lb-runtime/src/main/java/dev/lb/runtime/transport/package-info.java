/** The Netty transport: event loops (epoll or NIO), channel types and the pooled allocator. */
package dev.lb.runtime.transport;
