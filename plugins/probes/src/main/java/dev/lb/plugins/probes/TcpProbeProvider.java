package dev.lb.plugins.probes;

import dev.lb.spi.HealthProbe;
import dev.lb.spi.HealthProbeProvider;
import dev.lb.spi.PluginConfig;

/**
 * {@code tcp}: a backend is healthy when a TCP connection to it can be opened within the check's timeout. The
 * connection is closed at once, without sending anything.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code port} (1..65535, optional): probe this port of the backend's host instead of its traffic port, e.g.
 *       a separate health or admin port.</li>
 * </ul>
 */
public final class TcpProbeProvider implements HealthProbeProvider {

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public String description() {
        return "healthy when a TCP connection to the backend (or to setting port) opens within the timeout";
    }

    @Override
    public HealthProbe create(PluginConfig config) {
        int port = config.has("port") ? (int) config.integer("port", TcpProbe.TRAFFIC_PORT, 1, 65_535)
                : TcpProbe.TRAFFIC_PORT;
        return new TcpProbe(port);
    }
}
