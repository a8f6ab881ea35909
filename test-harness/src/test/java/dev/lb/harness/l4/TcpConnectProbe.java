package dev.lb.harness.l4;

import dev.lb.spi.BlockingHealthProbe;
import dev.lb.spi.HealthProbe;
import dev.lb.spi.HealthProbeProvider;
import dev.lb.spi.PluginConfig;
import dev.lb.spi.ProbeResult;
import dev.lb.spi.ProbeTarget;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A test probe that opens a real TCP connection to the backend and closes it. */
final class TcpConnectProbe implements BlockingHealthProbe {

    @Override
    public ProbeResult checkBlocking(ProbeTarget target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(target.backend().address(), (int) Math.max(1, target.timeout().toMillis()));
            return ProbeResult.healthy();
        } catch (ConnectException e) {
            return ProbeResult.unhealthy("connection refused");
        } catch (SocketTimeoutException e) {
            return ProbeResult.unhealthy("connect timed out");
        }
    }

    /** Provides {@link TcpConnectProbe} as {@code test-tcp}. */
    static final class Provider implements HealthProbeProvider {

        @Override
        public String name() {
            return "test-tcp";
        }

        @Override
        public String description() {
            return "test probe: a plain TCP connect";
        }

        @Override
        public HealthProbe create(PluginConfig config) {
            return new TcpConnectProbe();
        }
    }
}
