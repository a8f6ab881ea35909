package dev.lb.runtime.reload;

import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.config.ConfigProblem;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.server.LoadBalancer;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a running {@link LoadBalancer} from its configuration file. Each reload reads and fully validates the file
 * first (every plugin is created and closed): a bad file is refused with its located problems and the running
 * configuration keeps serving; a good one is applied as a diff ({@link LoadBalancer#reload(LbConfig)}).
 *
 * <p>Triggers: {@link #reload(String)} (the admin API calls it), a watch on the file's folder
 * ({@link #watchFile(Duration)}: changes are debounced, so an editor's several writes make one reload) and SIGHUP
 * ({@link #handleSighup()}, through {@code sun.misc.Signal}, the JDK's only signal API). Reloads are serialized; the
 * file watch and the signal hand their reloads to one background thread, never blocking the caller, with at most one
 * waiting (a burst coalesces into one reload).
 */
public final class ReloadService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReloadService.class);

    private final LoadBalancer lb;
    private final Path file;
    private final ConfigLoader loader;
    private final PluginCatalog catalog;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "lb-reload");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile WatchService watcher;
    private volatile ReloadResult last;

    /**
     * @param lb the running server
     * @param file its configuration file, read again on each reload
     * @param loader validates the file
     * @param catalog the plugins the file may name (a change of plugins.dir needs a restart)
     */
    public ReloadService(LoadBalancer lb, Path file, ConfigLoader loader, PluginCatalog catalog) {
        this.lb = Objects.requireNonNull(lb, "lb");
        this.file = Objects.requireNonNull(file, "file");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** Reads, validates and applies the file now; {@code trigger} says who asked, for the log. */
    public synchronized ReloadResult reload(String trigger) {
        LbConfig next;
        try {
            next = loader.load(file, catalog);
        } catch (ConfigException e) {
            return refuse(trigger, e.problems().stream().map(ConfigProblem::toString).toList(), null);
        }
        try {
            ConfigDiff diff = lb.reload(next);
            reloads.incrementAndGet();
            return remember(new ReloadResult(trigger, true, List.of(), null, diff));
        } catch (ConfigException e) {
            return refuse(trigger, e.problems().stream().map(ConfigProblem::toString).toList(), null);
        } catch (RuntimeException e) {
            return refuse(trigger, List.of(), e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    private ReloadResult refuse(String trigger, List<String> problems, String error) {
        refused.incrementAndGet();
        log.error("reload ({}) refused, the running configuration stays in force:{}{}", trigger,
                problems.isEmpty() ? "" : "\n  " + String.join("\n  ", problems), error == null ? "" : " " + error);
        return remember(new ReloadResult(trigger, false, problems, error, null));
    }

    private ReloadResult remember(ReloadResult result) {
        last = result;
        return result;
    }

    /** The last reload's result, or null before the first. */
    public ReloadResult last() {
        return last;
    }

    /** Reloads applied so far. */
    public long appliedCount() {
        return reloads.get();
    }

    /** Reloads refused so far. */
    public long refusedCount() {
        return refused.get();
    }

    /**
     * Reloads when the file changes: its folder is watched, and a change is applied once the file has been quiet for
     * {@code quietPeriod} (so a save in several writes makes one reload).
     *
     * @throws IOException when the folder cannot be watched
     */
    public synchronized void watchFile(Duration quietPeriod) throws IOException {
        if (watcher != null) {
            return;
        }
        Path folder = file.toAbsolutePath().getParent();
        WatchService service = FileSystems.getDefault().newWatchService();
        folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        watcher = service;
        Thread thread = new Thread(() -> watchLoop(service, quietPeriod), "lb-config-watch");
        thread.setDaemon(true);
        thread.start();
        log.info("watching {} for changes", file);
    }

    private void watchLoop(WatchService service, Duration quietPeriod) {
        Path name = file.getFileName();
        try {
            while (!closed.get()) {
                WatchKey key = service.take();
                boolean ours = changed(key, name);
                key.reset();
                if (!ours) {
                    continue;
                }
                // Debounce: wait until no further change to our file comes within the quiet period.
                WatchKey more;
                while ((more = service.poll(quietPeriod.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    changed(more, name);
                    more.reset();
                }
                requestReload("file-watch");
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    /**
     * Queues a reload on the background thread, unless one is already waiting there: the file is read when the reload
     * runs, so a burst of signals or changes needs one reload, and the queue never holds more than one.
     */
    private void requestReload(String trigger) {
        if (!closed.get() && pending.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    pending.set(false);
                    reload(trigger);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.set(false); // closing
            }
        }
    }

    private static boolean changed(WatchKey key, Path name) {
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (name.equals(event.context())) {
                ours = true;
            }
        }
        return ours;
    }

    /**
     * Reloads on SIGHUP, as daemons conventionally do. Uses {@code sun.misc.Signal} (module jdk.unsupported), the
     * JDK's only way to handle a signal.
     *
     * @return whether the handler could be installed (false where the platform has no SIGHUP)
     */
    @SuppressWarnings("restriction")
    public boolean handleSighup() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> requestReload("SIGHUP"));
            return true;
        } catch (IllegalArgumentException e) {
            log.warn("cannot handle SIGHUP here ({}); reload through the admin API or the file watch",
                    e.getMessage());
            return false;
        }
    }

    /** Stops the file watch and the background reloads. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            WatchService service = watcher;
            if (service != null) {
                try {
                    service.close();
                } catch (IOException e) {
                    log.debug("closing the config watch: {}", e.toString());
                }
            }
            background.shutdownNow();
        }
    }
}
