package dev.lb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code lb} command line. */
@Command(name = "lb",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A plugin-extensible load balancer for TCP and HTTP.",
        subcommands = {
            RunCommand.class,
            ValidateCommand.class,
            PluginsCommand.class,
            DemoCommand.class,
            VerifyCommand.class,
            TrainStartupCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests to run commands in-process. */
    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /** {@code lb} alone: say what it can do. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command, e.g. lb demo or lb run CONFIG");
    }

    /** The version from the jar's manifest, when run from the built distribution. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lb " + (version == null ? "(development build)" : version)};
        }
    }
}
