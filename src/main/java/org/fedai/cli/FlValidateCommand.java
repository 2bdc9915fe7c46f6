package org.fedai.cli;

import org.fedai.domain.PublicKey;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.fedai.fl.data.Dataset;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.roles.fl.FlData;
import org.fedai.roles.fl.ValidatorRole;
import org.fedai.roles.fl.RoundLog;
import org.fedai.store.FlJournal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai fl validate}: score every round's updates against a clean root set and publish 4427 reports. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Validate a federation task's rounds FLTrust-style: cosine of each update to this node's own",
                "update on a clean root set, norm bound, repeat offenders; publish signed 4427 reports."})
final class FlValidateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    FlRoleOptions role;
    @Option(names = "--task", required = true, paramLabel = "NADDR", description = "The task: naddr1... or 31410:<hex>:<id>.")
    String task;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        String[] t = FlRoleOptions.task(cli, task);
        Dataset root = new FlData(role.seed, role.testSize, role.rootSize).root(role.mnist());
        KeyPair keys = role.keys(cli, "validate");
        java.nio.file.Path db = role.db != null ? role.db : Files.createTempFile("fedai-fl-validate-", ".db");
        try (FlJournal journal = FlJournal.open(db); RelayPool pool = role.pool(cli, keys);
                ValidatorRole validator = new ValidatorRole(pool, keys, journal,
                        new ValidatorRole.Settings(PublicKey.of(t[0]), t[1], root, role.seed, role.maxWait()),
                        RoundLog.to(cli.getOut()))) {
            cli.getOut().printf("validator %s: root set of %d samples%n", keys.npub(), root.size());
            cli.getOut().flush();
            validator.run();
        }
        return 0;
    }
}
