package dev.lb.runtime.tcp;

import dev.lb.runtime.metrics.TrafficMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The pair of channels of one proxied connection and the state of its two directions.
 *
 * <p>Both channels run on the same event loop (the backend is connected from the client's loop), so the fields need
 * no synchronization.
 */
final class Relay {

    private final Channel client;
    private final Channel backend;
    private final TrafficMetrics listenerMetrics;
    private final TrafficMetrics backendMetrics;
    private final String backendName;
    private final long idleNanos;
    private long bytesFromClient;
    private long bytesFromBackend;
    private boolean clientInputDone;
    private boolean backendInputDone;

    /**
     * @param idleNanos the listener's idle timeout (0 for none): the client channel's idle timer, which sees every
     *        byte both ways (it reads one direction and writes the other), times the whole relay; this bounds only
     *        the flush to a backend after the client closed
     */
    Relay(Channel client, Channel backend, String backendName, TrafficMetrics listenerMetrics,
            TrafficMetrics backendMetrics, long idleNanos) {
        this.client = client;
        this.backendName = backendName;
        this.backend = backend;
        this.listenerMetrics = listenerMetrics;
        this.backendMetrics = backendMetrics;
        this.idleNanos = idleNanos;
    }

    /** Counts {@code bytes} read on {@code channel}, about to be written to its peer. */
    void relayed(Channel channel, int bytes) {
        if (channel == client) {
            bytesFromClient += bytes;
            listenerMetrics.bytesIn(bytes);
            backendMetrics.bytesIn(bytes);
        } else {
            bytesFromBackend += bytes;
            backendMetrics.bytesOut(bytes);
            listenerMetrics.bytesOut(bytes);
        }
    }

    String backendName() {
        return backendName;
    }

    long bytesFromClient() {
        return bytesFromClient;
    }

    long bytesFromBackend() {
        return bytesFromBackend;
    }

    Channel client() {
        return client;
    }

    Channel backend() {
        return backend;
    }

    Channel peerOf(Channel channel) {
        return channel == client ? backend : client;
    }

    boolean isInputDone(Channel channel) {
        return channel == client ? clientInputDone : backendInputDone;
    }

    /**
     * {@code channel}'s peer sent its last byte (shut its output). Forward the half-close: once everything read so
     * far is flushed to the other side, shut that side's output. When both directions are done, close both.
     */
    void inputEnded(Channel channel) {
        if (channel == client) {
            clientInputDone = true;
        } else {
            backendInputDone = true;
        }
        Channel peer = peerOf(channel);
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) flushed -> {
            if (!flushed.isSuccess()) {
                closeBoth();
                return;
            }
            ((DuplexChannel) peer).shutdownOutput().addListener((ChannelFutureListener) shut -> {
                if (!shut.isSuccess() || (clientInputDone && backendInputDone)) {
                    closeBoth();
                }
            });
        });
    }

    /**
     * {@code channel} closed: flush what is pending to its peer, then close the peer. A peer that does not read is
     * closed anyway after the idle timeout (the client's idle timer went with the client).
     */
    void closed(Channel channel) {
        Channel peer = peerOf(channel);
        if (!peer.isActive()) {
            return;
        }
        ChannelFuture flushed = peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        if (idleNanos > 0 && !flushed.isDone()) {
            ScheduledFuture<?> deadline = peer.eventLoop().schedule(() -> peer.close(), idleNanos,
                    TimeUnit.NANOSECONDS);
            peer.closeFuture().addListener(closed -> deadline.cancel(false));
        }
    }

    /** Closes both channels now (error, idle timeout, shutdown). */
    void closeBoth() {
        client.close();
        backend.close();
    }
}
