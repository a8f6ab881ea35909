package dev.lb.harness.l4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.harness.backend.DummyTcpBackend;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RoundRobinL4Test {

    @Test
    void threeHundredSequentialConnectionsSplitExactlyEvenly() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                DummyTcpBackend c = DummyTcpBackend.start("c");
                L4Proxy proxy = L4Proxy.builder(a, b, c).start()) {
            InetSocketAddress address = proxy.address();
            Map<String, Integer> served = new TreeMap<>();
            for (int i = 0; i < 300; i++) {
                served.merge(Client.identityThrough(address), 1, Integer::sum);
            }
            assertEquals(Map.of("a", 100, "b", 100, "c", 100), served);
            assertEquals(100, a.totalConnections());
            assertEquals(100, b.totalConnections());
            assertEquals(100, c.totalConnections());
        }
    }
}
