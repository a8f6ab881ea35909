package dev.lb.plugins.algorithms;

import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.PoolSnapshot;
import dev.lb.spi.testkit.MapPluginConfig;
import dev.lb.spi.testkit.TestBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers to build pools and count picks. */
final class Pools {

    private Pools() {
    }

    static List<TestBackend> backends(int n) {
        List<TestBackend> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new TestBackend("b" + i));
        }
        return list;
    }

    static PoolSnapshot snapshot(List<? extends Backend> eligible) {
        return PoolSnapshot.of("test", eligible, eligible);
    }

    static Picker picker(AlgorithmProvider provider, MapPluginConfig config, List<? extends Backend> eligible) {
        return provider.create(config).newPicker(snapshot(eligible));
    }

    static Picker picker(AlgorithmProvider provider, List<? extends Backend> eligible) {
        return picker(provider, MapPluginConfig.empty(), eligible);
    }

    /** Picks {@code n} times with {@code context} and counts the picks by backend name. */
    static Map<String, Integer> count(Picker picker, PickContext context, int n) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(picker.pick(context).name(), 1, Integer::sum);
        }
        return counts;
    }
}
