import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Whether Netty's epoll {@code spliceTo} can carry a TCP relay: a backend sends SIZE bytes and closes, a relay on
 * loopback forwards them to a client and then forwards the half-close, as lb's TCP relay does, either by reading and
 * writing buffers ({@code copy}) or by splicing ({@code splice}); the client counts what arrives. Bounded: ROUNDS
 * connections, each read with a 5 s timeout. Run by bench/splice/check.sh.
 */
public final class SpliceTailCheck {

    public static void main(String[] args) throws Exception {
        boolean splice = args[0].equals("splice");
        int size = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> sendAndClose(backend, size));
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel relay = new ServerBootstrap().group(loop).channel(EpollServerSocketChannel.class)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel client) {
                            connect(client, backend, splice);
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            int short_ = 0;
            long lost = 0;
            for (int round = 0; round < rounds; round++) {
                long got = receive(relay, round % 2 == 1);
                if (got != size) {
                    short_++;
                    lost += size - got;
                }
            }
            System.out.printf("%s: %d of %d connections lost bytes (%d bytes in all, of %d bytes each)%n",
                    splice ? "splice" : "copy", short_, rounds, lost, size);
        } finally {
            loop.shutdownGracefully().sync();
        }
    }

    /** The backend: each connection gets {@code size} bytes, then the close. */
    private static void sendAndClose(ServerSocket backend, int size) {
        byte[] chunk = new byte[65536];
        while (true) {
            try (Socket connection = backend.accept()) {
                OutputStream out = connection.getOutputStream();
                for (int left = size; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, Math.min(left, chunk.length));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Connects {@code client} to the backend and relays backend to client, forwarding the end of the stream. */
    private static void connect(Channel client, ServerSocket backend, boolean splice) {
        new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        client.writeAndFlush(msg);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof ChannelInputShutdownEvent) {
                            client.writeAndFlush(Unpooled.EMPTY_BUFFER)
                                    .addListener(f -> ((EpollSocketChannel) client).shutdownOutput());
                        }
                    }
                })
                .connect(backend.getLocalSocketAddress())
                .addListener((ChannelFutureListener) connected -> {
                    EpollSocketChannel from = (EpollSocketChannel) connected.channel();
                    if (splice) {
                        from.spliceTo((EpollSocketChannel) client, Integer.MAX_VALUE);
                    }
                    from.config().setAutoRead(true);
                });
    }

    /** Bytes a client of the relay receives before the end of the stream; late: it waits for the backend to close. */
    private static long receive(Channel relay, boolean late) throws Exception {
        try (Socket client = new Socket()) {
            client.connect(relay.localAddress());
            client.setSoTimeout(5000);
            if (late) {
                Thread.sleep(200);
            }
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[65536];
            long got = 0;
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    got += n;
                }
            } catch (SocketTimeoutException e) {
                // counted as short
            }
            return got;
        }
    }
}
