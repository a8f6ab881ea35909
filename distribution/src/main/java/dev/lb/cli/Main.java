package dev.lb.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code lb} command line. */
@Command(name = "lb",
        scope = CommandLine.ScopeType.INHERIT, // -h/--help and -V/--version on every command
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A plugin-extensible load balancer for TCP and HTTP.")
public final class Main implements Runnable {

    /** The commands, by name, in the order the help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("run", RunCommand::new);
        COMMANDS.put("validate", ValidateCommand::new);
        COMMANDS.put("plugins", PluginsCommand::new);
        COMMANDS.put("demo", DemoCommand::new);
        COMMANDS.put("verify", VerifyCommand::new);
        COMMANDS.put("train-startup", TrainStartupCommand::new);
    }

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /**
     * The command line for {@code args}, also for tests to run commands in-process. Picocli reads a command's
     * annotations by reflection when it is added, from class files too old for the JVM's start-up cache: adding only
     * the command named first saves about a tenth of {@code lb run}'s start-up. Anything else ({@code lb},
     * {@code lb help}, options, a misspelt command) gets every command, so that help and suggestions list them all.
     */
    static CommandLine commandLine(String... args) {
        CommandLine line = new CommandLine(new Main());
        Supplier<Object> asked = args.length > 0 ? COMMANDS.get(args[0]) : null;
        if (asked != null) {
            line.addSubcommand(args[0], asked.get());
        } else {
            COMMANDS.forEach((name, command) -> line.addSubcommand(name, command.get()));
            line.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return line;
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
