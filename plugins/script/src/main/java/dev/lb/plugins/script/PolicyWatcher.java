package dev.lb.plugins.script;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one policy file on its own thread and calls back when it changed. Editors write a file in several steps
 * (truncate, write, rename), so events are gathered for a short quiet period before the single callback.
 */
final class PolicyWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);
    private static final long QUIET_MILLIS = 50;

    private final Path file;
    private final Runnable onChange;
    private final WatchService service;
    private final Thread thread;

    PolicyWatcher(Path file, Runnable onChange) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.onChange = onChange;
        this.service = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = Thread.ofPlatform().daemon().name("lb-script-watch-" + this.file.getFileName())
                .unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean ours = concernsFile(key);
                // Drain whatever else arrives while the writer finishes.
                WatchKey more;
                while ((more = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    ours |= concernsFile(more);
                }
                if (ours) {
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed: the pool went away or the server stops.
        } catch (RuntimeException e) {
            LOG.error("watching {} stopped: {}; changes to it are no longer picked up", file, e.toString(), e);
        }
    }

    private boolean concernsFile(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.context() instanceof Path changed && changed.equals(file.getFileName())) {
                ours = true;
            } else if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                ours = true;
            }
        }
        key.reset();
        return ours;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing the watch of {}: {}", file, e.toString());
        }
        thread.interrupt();
    }
}
