package org.fedai.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `fedai` command line: one subcommand per role or tool. */
@Command(name = "fedai", mixinStandardHelpOptions = true, versionProvider = FedaiCommand.Version.class,
        description = "A federated AI compute mesh that lives on Nostr relays.",
        subcommands = {CommandLine.HelpCommand.class, FlCommand.class})
public final class FedaiCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new FedaiCommand());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FedaiCommand.class.getPackage().getImplementationVersion();
            return new String[] {"fedai " + (v == null ? "dev" : v)};
        }
    }
}
