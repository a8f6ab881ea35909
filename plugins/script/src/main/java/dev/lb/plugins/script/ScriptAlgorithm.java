package dev.lb.plugins.script;

import dev.lb.spi.Algorithm;
import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.PoolSnapshot;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.graalvm.polyglot.PolyglotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scripted policy for one pool: the current {@link Policy} version, one {@link PolicyContext} per thread that
 * picks, the watchdog that enforces the time budget and the allocation limit, the watcher that reloads the file, and
 * the thread that builds contexts off the event loops.
 *
 * <p>Memory: GraalVM's community edition cannot bound a context's heap, so this class bounds what picks allocate. The
 * watchdog stops a pick that allocates more than {@code allocation-limit}; and each thread adds up what its context's
 * picks allocated, an upper bound of what the script can keep in module variables, and rebuilds the context afresh
 * (module state lost, {@code init} run again) once that reaches {@code recycle-after}, the way a web server retires a
 * worker after so many requests. The replacement is built by the rebuild thread when the total reaches half the limit,
 * so the event loop only swaps it in; the pick that reaches the limit is served by the old context.
 *
 * <p>A pick never fails because of the script: whatever goes wrong (an exception, a useless return value, an overrun
 * budget or statement limit, a context that cannot be built), the request is placed by the fallback algorithm, the
 * failure is counted in {@link #stats()} and logged with the script's {@code file:line:column}, at most once a second.
 */
public final class ScriptAlgorithm implements Algorithm {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptAlgorithm.class);
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final ScriptSettings settings;
    private final AtomicReference<Policy> current;
    private final ScriptStats stats = new ScriptStats();
    private final ThreadLocal<ThreadSlot> slots = ThreadLocal.withInitial(this::newSlot);
    private final Queue<ThreadSlot> allSlots = new ConcurrentLinkedQueue<>();
    private final Watchdog watchdog;
    /** Builds replacement contexts (ahead of a recycle) off the event loops; its thread starts with the first. */
    private final ExecutorService rebuilder;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private final AtomicLong unlogged = new AtomicLong();
    private volatile PolicyWatcher watcher;
    private volatile boolean closed;

    private ScriptAlgorithm(ScriptSettings settings, Policy initial) {
        this.settings = settings;
        this.current = new AtomicReference<>(initial);
        String name = settings.file().getFileName().toString();
        this.watchdog = new Watchdog(settings.timeBudget(), settings.allocationLimit(), name);
        this.rebuilder = Executors.newSingleThreadExecutor(
                task -> Thread.ofPlatform().daemon().name("lb-script-rebuild-" + name).unstarted(task));
        if (!Allocations.supported()) {
            LOG.warn("script policy {}: this JVM does not count allocations per thread, so allocation-limit and "
                    + "recycle-after are not enforced (run on a HotSpot JVM such as Temurin)", settings.displayName());
        }
    }

    /** Reads and checks the policy file; starts nothing. */
    static ScriptAlgorithm load(ScriptSettings settings) throws PolicyLoadException {
        return new ScriptAlgorithm(settings, check(Policy.read(settings.file(), settings.displayName(), 1), settings));
    }

    private static Policy check(Policy policy, ScriptSettings settings) throws PolicyLoadException {
        try (PolicyContext ignored = PolicyContext.open(policy, settings)) {
            return policy;
        }
    }

    /** What this policy has done so far. */
    public ScriptStats stats() {
        return stats;
    }

    /** What the runtime publishes as this pool's algorithm figures: picks, fallbacks by cause, reloads. */
    @Override
    public Map<String, LongSupplier> figures() {
        Map<String, LongSupplier> figures = new LinkedHashMap<>();
        figures.put("scripted_picks", stats::scriptedPicks);
        figures.put("fallbacks", stats::totalFailures);
        for (ScriptStats.Failure failure : ScriptStats.Failure.values()) {
            figures.put("fallbacks_" + failure.name().toLowerCase(Locale.ROOT), () -> stats.failures(failure));
        }
        figures.put("reloads", stats::reloads);
        figures.put("refused_reloads", stats::refusedReloads);
        figures.put("recycles", stats::recycles);
        return figures;
    }

    /** The version of the policy now serving: 1, then one more for each reload that took. */
    public int version() {
        return current.get().version();
    }

    /** How many threads have a context built for them waiting to be swapped in at their next pick; for tests. */
    int replacementsWaiting() {
        int waiting = 0;
        for (ThreadSlot slot : allSlots) {
            if (slot.hasReplacement()) {
                waiting++;
            }
        }
        return waiting;
    }

    @Override
    public Picker newPicker(PoolSnapshot snapshot) {
        startOnce();
        Backend[] eligible = snapshot.eligible().toArray(Backend[]::new);
        if (eligible.length == 0) {
            return context -> null;
        }
        return context -> pick(context, eligible);
    }

    /**
     * Reads the file again and swaps the new version in if it loads; otherwise logs why and keeps the old one.
     *
     * @return whether the new version was taken
     */
    public boolean reload() {
        Policy old = current.get();
        try {
            Policy next = Policy.read(settings.file(), settings.displayName(), old.version() + 1);
            if (next.source().getCharacters().toString().equals(old.source().getCharacters().toString())) {
                return false;
            }
            PolicyContext checked = PolicyContext.open(next, settings);
            prepareReplacements(next, checked);
            current.set(next);
            stats.reloaded();
            LOG.info("script policy {} reloaded (version {})", settings.displayName(), next.version());
            return true;
        } catch (PolicyLoadException e) {
            stats.refused();
            LOG.error("script policy {} changed but the new version is refused, version {} keeps serving: {}",
                    settings.displayName(), old.version(), e.getMessage());
            return false;
        }
    }

    /**
     * Builds the new version's context for each thread that picks, here rather than on the event loops (a context
     * takes milliseconds to build), so that each thread only swaps at its next pick. The context that checked the
     * version serves the first. A thread whose replacement is missing builds its own, as on its first pick.
     */
    private void prepareReplacements(Policy next, PolicyContext checked) {
        PolicyContext spare = checked;
        for (ThreadSlot slot : allSlots) {
            if (closed || !slot.owner.isAlive()) {
                continue;
            }
            PolicyContext made = spare;
            spare = null;
            if (made == null) {
                try {
                    made = PolicyContext.open(next, settings);
                } catch (PolicyLoadException e) {
                    LOG.warn("script policy {}: building version {} for thread {} failed ({}); it builds its own",
                            settings.displayName(), next.version(), slot.owner.getName(), e.getMessage());
                    continue;
                }
            }
            slot.offer(made);
        }
        if (spare != null) {
            spare.close();
        }
        if (closed) {
            // Closed while building: what close() did not see waiting would never be closed.
            allSlots.forEach(ThreadSlot::discardReplacement);
        }
    }

    private void startOnce() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        watchdog.start();
        if (settings.watch()) {
            try {
                PolicyWatcher w = new PolicyWatcher(settings.file(), this::reload);
                w.start();
                watcher = w;
            } catch (IOException e) {
                LOG.error("cannot watch {} for changes ({}); the policy will not be reloaded", settings.displayName(),
                        e.toString());
            }
        }
    }

    private ThreadSlot newSlot() {
        ThreadSlot slot = new ThreadSlot();
        allSlots.add(slot);
        watchdog.watch(slot);
        return slot;
    }

    private Backend pick(PickContext pickContext, Backend[] eligible) {
        ThreadSlot slot = slots.get();
        PolicyContext context = contextFor(slot);
        if (context == null) {
            return settings.fallback().pick(eligible);
        }
        try {
            context.prepare(eligible);
        } catch (PolyglotException | IllegalStateException e) {
            slot.broken = true;
            return failed(ScriptStats.Failure.UNAVAILABLE, settings.displayName(),
                    "cannot hand the backends to the script: " + e.getMessage(), eligible);
        }
        int index;
        int calls = slot.callsOnContext;
        if (calls < Watchdog.GRACE_CALLS) {
            slot.callsOnContext = calls + 1;
        }
        if (slot.stopped != ThreadSlot.RUNNING) {
            slot.stopped = ThreadSlot.RUNNING;
        }
        long allocatedBefore = Allocations.current();
        slot.allocatedBefore = allocatedBefore;
        slot.call = ++slot.calls;
        try {
            index = context.pick(pickContext, eligible);
        } catch (PolyglotException e) {
            endCall(slot, allocatedBefore);
            context.resetAfterFailure();
            return fellBack(slot, context, e, eligible);
        } catch (IllegalStateException e) {
            // The watchdog cancelled the context between two calls.
            endCall(slot, allocatedBefore);
            slot.broken = true;
            return failed(ScriptStats.Failure.OVER_TIME, context.pickLocation(), "the context was cancelled",
                    eligible);
        }
        endCall(slot, allocatedBefore);
        if (index < 0) {
            return failed(ScriptStats.Failure.BAD_RESULT, context.pickLocation(),
                    "pick returned " + context.lastBadValue()
                            + ", which names no eligible backend (return a backend, its index or its name)",
                    eligible);
        }
        stats.scripted();
        return eligible[index];
    }

    /** Marks the call over for the watchdog and adds what it allocated to its context's total. */
    private static void endCall(ThreadSlot slot, long allocatedBefore) {
        slot.call = 0;
        slot.allocatedOnContext += Allocations.current() - allocatedBefore;
    }

    private PolicyContext contextFor(ThreadSlot slot) {
        Policy policy = current.get();
        PolicyContext context = slot.context;
        if (context != null && !slot.broken && context.version() >= policy.version()
                && slot.allocatedOnContext < slot.allocationMark) {
            return context;
        }
        return changeContext(slot, policy, context);
    }

    /**
     * The slow path of {@link #contextFor}: the context is missing, broken, of an older version, or its picks have
     * allocated half of {@code recycle-after} (ask for a replacement, keep serving) or all of it (recycle).
     */
    private PolicyContext changeContext(ThreadSlot slot, Policy policy, PolicyContext context) {
        boolean recycling = false;
        if (context != null && !slot.broken && context.version() >= policy.version()) {
            if (slot.allocatedOnContext < settings.recycleAfter()) {
                askReplacement(slot);
                slot.allocationMark = settings.recycleAfter();
                return context;
            }
            recycling = true;
        }
        long allocated = slot.allocatedOnContext;
        if (context != null) {
            context.close();
        }
        slot.context = null;
        slot.broken = false;
        PolicyContext next = slot.takeReplacement(policy.version());
        if (closed) {
            if (next != null) {
                next.close();
            }
            return null;
        }
        if (next == null) {
            try {
                next = PolicyContext.open(policy, settings);
            } catch (PolicyLoadException e) {
                failed(ScriptStats.Failure.UNAVAILABLE, settings.displayName(), e.getMessage(), new Backend[0]);
                return null;
            }
        }
        if (recycling) {
            long recycles = stats.recycled();
            LOG.info("script policy {}: recycled the context of thread {} after its picks allocated {} "
                    + "(recycle-after {}); its module state starts afresh ({} recycles so far)",
                    settings.displayName(), slot.owner.getName(), ByteSize.format(allocated),
                    ByteSize.format(settings.recycleAfter()), recycles);
        }
        slot.callsOnContext = 0;
        slot.allocatedOnContext = 0;
        slot.allocationMark = settings.recycleAfter() / 2;
        slot.replacementAsked = false;
        slot.context = next;
        return next;
    }

    /** Has the rebuild thread build {@code slot} a fresh context of the current version, once per context. */
    private void askReplacement(ThreadSlot slot) {
        if (slot.replacementAsked) {
            return;
        }
        slot.replacementAsked = true;
        try {
            rebuilder.execute(() -> buildReplacement(slot));
        } catch (RejectedExecutionException closing) {
            // The pool is going away: nothing to recycle for.
        }
    }

    private void buildReplacement(ThreadSlot slot) {
        if (closed) {
            return;
        }
        try {
            slot.offer(PolicyContext.open(current.get(), settings));
        } catch (PolicyLoadException e) {
            LOG.warn("script policy {}: building a fresh context for thread {} ahead of its recycle failed ({}); "
                    + "it builds its own when due", settings.displayName(), slot.owner.getName(), e.getMessage());
        }
        if (closed) {
            slot.discardReplacement();
        }
    }

    private Backend fellBack(ThreadSlot slot, PolicyContext context, PolyglotException e, Backend[] eligible) {
        String where = PolicyError.location(e, context.pickLocation());
        if (e.isResourceExhausted()) {
            // The context is cancelled: by the statement limit, or by running the JVM out of memory or stack.
            slot.broken = true;
            if (String.valueOf(e.getMessage()).startsWith("Statement count limit")) {
                return failed(ScriptStats.Failure.OVER_STATEMENTS, where,
                        "pick ran more than statement-limit " + settings.statementLimit() + " statements", eligible);
            }
            return failed(ScriptStats.Failure.OUT_OF_RESOURCES, where,
                    "pick exhausted the JVM's resources (" + e.getMessage() + "); its context is discarded", eligible);
        }
        int stopped = slot.stopped;
        if (stopped == ThreadSlot.STOPPED_FOR_MEMORY && (e.isInterrupted() || e.isCancelled())) {
            slot.broken |= e.isCancelled();
            return failed(ScriptStats.Failure.OVER_ALLOCATION, where,
                    "pick allocated more than allocation-limit " + ByteSize.format(settings.allocationLimit())
                            + " (" + ByteSize.format(slot.allocatedWhenStopped) + " when interrupted after at least "
                            + slot.stoppedAfterNanos / 1_000_000 + "ms)",
                    eligible);
        }
        if (stopped == ThreadSlot.STOPPED_FOR_TIME || e.isInterrupted() || e.isCancelled()) {
            slot.broken |= e.isCancelled();
            return failed(ScriptStats.Failure.OVER_TIME, where,
                    "pick ran past its time-budget of " + settings.timeBudget().toMillis() + "ms (interrupted after at least "
                            + slot.stoppedAfterNanos / 1_000_000 + "ms"
                            + (slot.lateCpuNanos < 0 ? ", the limit for any call" : ", "
                                    + slot.lateCpuNanos / 1_000_000 + "ms of processor time since it was seen late")
                            + ")",
                    eligible);
        }
        if (!e.isGuestException()) {
            // An internal error may leave the context in any state: start afresh.
            slot.broken = true;
        }
        return failed(ScriptStats.Failure.THREW, where, "pick threw " + e.getMessage(), eligible);
    }

    private Backend failed(ScriptStats.Failure failure, String where, String what, Backend[] eligible) {
        long total = stats.failed(failure);
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLogNanos.compareAndSet(last, now)) {
            long skipped = unlogged.getAndSet(0);
            LOG.warn("script policy {}: {}; placed by fallback {} ({} failures so far{})", where, what,
                    settings.fallback().configName(), total,
                    skipped == 0 ? "" : ", " + skipped + " not logged since the last message");
        } else {
            unlogged.incrementAndGet();
        }
        return settings.fallback().pick(eligible);
    }

    @Override
    public void close() {
        closed = true;
        PolicyWatcher w = watcher;
        if (w != null) {
            w.close();
        }
        watchdog.close();
        rebuilder.shutdownNow();
        for (ThreadSlot slot : allSlots) {
            slot.closeAll();
        }
    }
}
