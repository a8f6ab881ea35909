package dev.lb.cli;

import dev.lb.runtime.server.LoadBalancer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lb train-startup} (hidden): the workload the launcher records the JVM's ahead-of-time cache from, once per
 * build. It starts what {@code lb run} starts (the demo's backends and config, on free loopback ports), sends a
 * bounded number of requests through the HTTP and the TCP listener, and stops: so the classes loaded and linked on
 * the way to a first proxied response are in the cache, and later starts map them instead of loading them again.
 */
@Command(name = "train-startup", hidden = true,
        description = "Exercise start-up and a few proxied requests, for the launcher's ahead-of-time cache.")
final class TrainStartupCommand implements Callable<Integer> {

    static final int REQUESTS = 100;
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: lb-train\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DemoCommand.Setup setup = DemoCommand.Setup.start(0);
        Path folder = null;
        Path file = null;
        LoadBalancer lb = null;
        AutoCloseable control = null;
        try {
            folder = Files.createTempDirectory("lb-train-startup");
            file = Files.writeString(folder.resolve("lb.yaml"), setup.yaml());
            // What `lb run FILE` does: load the file, start, then the reload triggers beside it.
            LoadedConfig loaded = LoadedConfig.fromFile(file);
            lb = ServerRunner.start(loaded);
            control = RunCommand.control(file, loaded.catalog()).start(lb);
            int answered = 0;
            for (int i = 0; i < REQUESTS; i++) {
                answered += exchange(lb.boundAddress("http")) ? 1 : 0;
                answered += exchange(lb.boundAddress("tcp")) ? 1 : 0;
            }
            out.println("train-startup: " + answered + " of " + 2 * REQUESTS + " requests answered 200");
            out.flush();
            return answered == 2 * REQUESTS ? 0 : 1;
        } finally {
            if (control != null) {
                control.close();
            }
            if (lb != null) {
                lb.close(Duration.ZERO);
            }
            DemoCommand.closeAll(setup.backends());
            if (file != null) {
                Files.deleteIfExists(file);
            }
            if (folder != null) {
                Files.deleteIfExists(folder);
            }
        }
    }

    /** One request on a new connection; whether the answer was a 200. */
    private static boolean exchange(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(REQUEST);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return answer.startsWith("HTTP/1.1 200");
        }
    }
}
