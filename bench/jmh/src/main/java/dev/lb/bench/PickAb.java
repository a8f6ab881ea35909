package dev.lb.bench;

import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Compares the pick cost of two builds of {@code plugins/algorithms} in one JVM, for when the machine is shared and
 * separate JMH runs are too noisy to rank them: each build is loaded by its own class loader, and the two are timed in
 * alternating bursts of picks (the same pools and contexts as {@link PickBenchmark}). Other work on the machine slows
 * a burst and never speeds one, so the fastest burst of each is its undisturbed cost; both are printed, with the 10th
 * percentile.
 *
 * <p>Usage (through {@code bench/jmh/run.sh --ab}): {@code BASE_JAR CANDIDATE_JAR ALGORITHM[,ALGORITHM...] [BACKENDS]
 * [BURSTS]}, algorithms named as {@link PickBenchmark}'s parameter; backends default to 1000, bursts to 80 (after 40
 * of warm-up), each of 200000 picks.
 */
public final class PickAb {

    private static final int PICKS_PER_BURST = 200_000;
    private static final int WARM_UP_BURSTS = 40;

    private PickAb() {
    }

    /** Runs the comparison; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 5) {
            System.err.println("usage: PickAb BASE_JAR CANDIDATE_JAR ALGORITHM[,ALGORITHM...] [BACKENDS] [BURSTS]");
            System.exit(2);
        }
        List<Path> jars = List.of(jar(args[0]), jar(args[1]));
        int backends = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int bursts = args.length > 4 ? Integer.parseInt(args[4]) : 80;
        System.out.printf("%-44s %9s | %-26s | %-26s | %s%n", "algorithm", "backends", "base: min, p10 ns",
                "candidate: min, p10 ns", "candidate / base (min)");
        for (String algorithm : args[2].split(",")) {
            IntToDoubleFunction[] loops = new IntToDoubleFunction[jars.size()];
            for (int v = 0; v < loops.length; v++) {
                ClassLoader loader = new BuildLoader(jars.get(v));
                loops[v] = (IntToDoubleFunction) loader.loadClass(PickLoop.class.getName())
                        .getConstructor(dev.lb.spi.Picker.class, dev.lb.spi.PickContext[].class)
                        .newInstance(PickBenchmark.newPicker(algorithm, backends, loader),
                                PickBenchmark.Contexts.all());
            }
            for (int i = 0; i < WARM_UP_BURSTS; i++) {
                for (IntToDoubleFunction loop : loops) {
                    loop.applyAsDouble(PICKS_PER_BURST);
                }
            }
            double[][] times = new double[loops.length][bursts];
            for (int i = 0; i < bursts; i++) {
                for (int j = 0; j < loops.length; j++) {
                    int v = (i + j) % loops.length; // alternate which goes first
                    times[v][i] = loops[v].applyAsDouble(PICKS_PER_BURST);
                }
            }
            for (double[] t : times) {
                Arrays.sort(t);
            }
            System.out.printf("%-44s %9d | %10.1f %10.1f      | %10.1f %10.1f      | %.2f%n", algorithm, backends,
                    times[0][0], times[0][bursts / 10], times[1][0], times[1][bursts / 10], times[1][0] / times[0][0]);
        }
    }

    private static Path jar(String name) {
        Path path = Path.of(name);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(name + ": no such jar; build plugins/algorithms in each checkout to"
                    + " compare (./mvnw -q -pl plugins/algorithms -am package -DskipTests) and pass its target jar");
        }
        return path;
    }

    /**
     * Defines the algorithms of one build, and its own copy of {@link PickLoop}, itself; everything else (the SPI,
     * the test kit, the JDK) comes from the parent, so that both builds' pickers meet the same interfaces.
     */
    private static final class BuildLoader extends URLClassLoader {

        BuildLoader(Path jar) {
            super(urls(jar), PickAb.class.getClassLoader());
        }

        private static URL[] urls(Path jar) {
            try {
                URL benchClasses = PickLoop.class.getProtectionDomain().getCodeSource().getLocation();
                return new URL[] {jar.toUri().toURL(), benchClasses};
            } catch (MalformedURLException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.lb.plugins.") && !name.equals(PickLoop.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }
}
