package dev.lb.harness.scenario;

import dev.lb.spi.Protocol;
import java.util.List;

/** The fault scenarios the harness ships, in the order they are run. */
public final class Scenarios {

    private Scenarios() {
    }

    /** Every scenario. */
    public static List<Scenario> all() {
        return List.of(new BackendDownHard(), new BackendDownSoft(), new BackendResetMidResponse(), new BackendSlow(),
                new BackendFlaps(), new AllBackendsDown(), new NetworkCutMidTransfer());
    }

    /** The scenarios that apply to listeners of {@code protocol}. */
    public static List<Scenario> forProtocol(Protocol protocol) {
        return all().stream().filter(s -> s.supports(protocol)).toList();
    }

    /** The scenario named {@code name}. */
    public static Scenario named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no scenario named \"" + name + "\" (known: "
                        + String.join(", ", all().stream().map(Scenario::name).toList()) + ")"));
    }
}
