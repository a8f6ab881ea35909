package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lb.runtime.transport.Transport;

/** The event loops and allocator. */
final class TransportModule extends AbstractModule {

    private final int workerThreads;

    TransportModule(int workerThreads) {
        this.workerThreads = workerThreads;
    }

    @Provides
    @Singleton
    Transport transport() {
        return new Transport(workerThreads);
    }
}
