package org.fedai.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `fedai` command line: one subcommand per role or tool. */
@Command(name = "fedai", mixinStandardHelpOptions = true, versionProvider = FedaiCommand.Version.class,
        description = "A federated AI compute mesh that lives on Nostr relays.",
        subcommands = {
            CommandLine.HelpCommand.class,
            KeysCommand.class,
            EventCommand.class,
            Nip44Command.class,
            PublishCommand.class,
            ReqCommand.class,
            RelayCommand.class,
            ProfileCommand.class,
            DemoCommand.class,
            ClientCommand.class,
            RouterCommand.class,
            NodeCommand.class,
            FlCommand.class,
            BenchCommand.class,
            WalletCommand.class,
            VerifySlashCommand.class,
        })
public final class FedaiCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args, CommandLine.defaultFactory()));
    }

    /**
     * Runs {@code args} and returns the exit code; {@code factory} makes the commands and their mixins (the tests'
     * fault injection passes one that makes test-side subclasses, so that no fault is an option of fedai itself).
     */
    public static int run(String[] args, CommandLine.IFactory factory) {
        String[] rest;
        try {
            // the config file first: it may set the log level or the home folder like the command line
            rest = FedaiHome.apply(CliErrors.apply(LogLevel.apply(ConfigFile.apply(args))));
        } catch (IllegalArgumentException e) {
            System.err.println("fedai: " + e.getMessage());
            System.err.println("see 'fedai --help'");
            return CommandLine.ExitCode.USAGE;
        }
        return commandLine(factory).execute(rest);
    }

    /** The command tree; stdout and stderr are UTF-8 whatever the platform locale, so text passes through intact. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine commandLine = new CommandLine(new FedaiCommand(), factory);
        // option values are data (event content, tag values): a leading '@' must not read a file
        commandLine.setExpandAtFiles(false);
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), true));
        CliErrors.install(commandLine);
        return commandLine;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FedaiCommand.class.getPackage().getImplementationVersion();
            return new String[] {"fedai " + (v == null ? "dev" : v)};
        }
    }
}
