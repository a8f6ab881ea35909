package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;
import dev.lb.spi.EventType;
import java.util.List;

/**
 * Every backend of the pool goes down at once, then they all come back.
 *
 * <p>Expected: clients fail while there is no backend (that cannot be helped, and is counted); the pool is
 * reported empty ({@code pool-empty}) within the health budget; after the repair requests are served again within
 * the recovery budget, {@code pool-recovered} is notified, every backend serves again, and no request fails.
 */
public final class AllBackendsDown implements Scenario {

    @Override
    public String name() {
        return "all-backends-down";
    }

    @Override
    public String description() {
        return "every backend refuses connections, then all come back; the pool is reported empty and recovers";
    }

    @Override
    public ScenarioResult run(ScenarioTarget target) throws InterruptedException {
        ScenarioRun run = new ScenarioRun(this, target);
        if (!run.warmup()) {
            return run.result();
        }
        List<TestBackend> all = target.backends();
        run.fault("all " + all.size() + " backends of pool " + target.pool().name() + ": link down");
        long fault = System.nanoTime();
        long heal;
        try {
            all.forEach(b -> b.link().down());
            long out = run.awaitOutOfRotation(all, fault);
            if (out < 0) {
                String why = run.whyNoDetection();
                run.fail("the pool was not seen empty within " + ScenarioRun.format(target.detectBudget())
                        + (why.isEmpty() ? "" : ": " + why));
            } else {
                run.expectEvent(EventType.POOL_EMPTY, null, fault);
                run.send(2);
            }
            heal = System.nanoTime();
            long failed = run.between(fault, heal).stream().filter(e -> !e.ok()).count();
            run.note(failed + " requests failed while no backend was up (" + ScenarioRun.errorKinds(
                    run.between(fault, heal).stream().filter(e -> !e.ok()).toList()) + ")");
            all.forEach(b -> b.link().up());
            if (!run.awaitAnyServed(heal)) {
                return run.result();
            }
            if (out >= 0 && target.health().isPresent()) {
                run.expectEvent(EventType.POOL_RECOVERED, null, heal, target.recoverBudget());
            }
            for (TestBackend b : target.serving()) {
                if (run.sendUntilServed(e -> b.name().equals(e.backend()), target.recoverBudget()) == null) {
                    run.fail("backend " + b.name() + " did not serve again within "
                            + ScenarioRun.format(target.recoverBudget()) + " of the repair");
                }
            }
        } finally {
            all.forEach(b -> b.link().heal());
        }
        run.expectNoErrors(run.send(2 * all.size()), "after the repair", "");
        return run.result();
    }
}
