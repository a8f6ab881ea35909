package dev.lb.runtime.transport;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Netty's epoll handler, except that a channel waiting for nothing stays registered with epoll.
 *
 * <p>Since Netty 4.2.13 (netty/netty#16689), a channel whose interest set becomes empty is removed from the epoll set,
 * but its registration still takes the next change as a modification, which the kernel refuses (ENOENT), and the
 * channel is closed. A connection gets there when its peer half-closes while it is not reading: a client that sends
 * pipelined requests and then shuts its side lost the answers still owed to it, and one that then needed to wait for
 * its socket to drain a large answer would lose the rest. Here an empty interest set is submitted as
 * {@link EpollIoOps#EPOLLERR}, which the kernel reports anyway: the descriptor stays in the set, waiting for nothing
 * more than before, and the next change is a modification that works (as in Netty 4.2.7).
 */
final class EpollKeepingRegistrations implements IoHandlerFactory {

    private final IoHandlerFactory epoll = EpollIoHandler.newFactory();

    @Override
    public IoHandler newHandler(ThreadAwareExecutor executor) {
        IoHandler handler = epoll.newHandler(executor);
        return new IoHandler() {
            @Override
            public void initialize() {
                handler.initialize();
            }

            @Override
            public int run(IoHandlerContext context) {
                return handler.run(context);
            }

            @Override
            public void prepareToDestroy() {
                handler.prepareToDestroy();
            }

            @Override
            public void destroy() {
                handler.destroy();
            }

            @Override
            public IoRegistration register(IoHandle handle) throws Exception {
                return new KeptRegistration(handler.register(handle));
            }

            @Override
            public void wakeup() {
                handler.wakeup();
            }

            @Override
            public boolean isCompatible(Class<? extends IoHandle> handleType) {
                return handler.isCompatible(handleType);
            }
        };
    }

    @Override
    public boolean isChangingThreadSupported() {
        return epoll.isChangingThreadSupported();
    }

    private record KeptRegistration(IoRegistration registration) implements IoRegistration {

        @Override
        public <T> T attachment() {
            return registration.attachment();
        }

        @Override
        public long submit(IoOps ops) {
            boolean empty = ops instanceof EpollIoOps epollOps && epollOps.value() == EpollIoOps.NONE.value();
            return registration.submit(empty ? EpollIoOps.EPOLLERR : ops);
        }

        @Override
        public boolean isValid() {
            return registration.isValid();
        }

        @Override
        public boolean cancel() {
            return registration.cancel();
        }
    }
}
