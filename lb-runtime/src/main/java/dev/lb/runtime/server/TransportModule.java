package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lb.runtime.transport.Transport;
import dev.lb.runtime.transport.TransportKind;

/** The event loops and allocator. */
final class TransportModule extends AbstractModule {

    private final int workerThreads;
    private final TransportKind kind;

    TransportModule(int workerThreads, TransportKind kind) {
        this.workerThreads = workerThreads;
        this.kind = kind;
    }

    @Provides
    @Singleton
    Transport transport() {
        return new Transport(workerThreads, kind);
    }
}
