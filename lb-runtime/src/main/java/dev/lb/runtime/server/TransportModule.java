package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lb.runtime.transport.Transport;

/** The event loops and allocator. */
final class TransportModule extends AbstractModule {

    private final int workerThreads;
    private final boolean preferNative;

    TransportModule(int workerThreads, boolean preferNative) {
        this.workerThreads = workerThreads;
        this.preferNative = preferNative;
    }

    @Provides
    @Singleton
    Transport transport() {
        return new Transport(workerThreads, preferNative);
    }
}
