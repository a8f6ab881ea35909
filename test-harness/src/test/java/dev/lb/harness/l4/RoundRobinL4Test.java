package dev.lb.harness.l4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.harness.bed.TestBed;
import dev.lb.harness.junit.LoadBalancerTest;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Round robin over three backends, each behind its own Toxiproxy proxy (the extension's default balancer). */
@LoadBalancerTest
@Timeout(60)
class RoundRobinL4Test {

    @Test
    void threeHundredSequentialConnectionsSplitExactlyEvenly(TestBed bed) throws Exception {
        DummyTcpBackend a = bed.backend("a").tcp();
        DummyTcpBackend b = bed.backend("b").tcp();
        DummyTcpBackend c = bed.backend("c").tcp();
        InetSocketAddress address = bed.address();
        Map<String, Integer> served = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            served.merge(Client.identityThrough(address), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 100, "b", 100, "c", 100), served);
        // Toxiproxy opens one upstream connection per client connection.
        assertEquals(100, a.totalConnections());
        assertEquals(100, b.totalConnections());
        assertEquals(100, c.totalConnections());
    }
}
