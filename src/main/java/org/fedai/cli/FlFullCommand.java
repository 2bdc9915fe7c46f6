package org.fedai.cli;

import org.fedai.domain.PublicKey;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.fedai.fl.data.Dataset;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.roles.fl.Contribution;
import org.fedai.roles.fl.FlData;
import org.fedai.roles.fl.FullNodeRole;
import org.fedai.roles.fl.RoundLog;
import org.fedai.store.FlJournal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai fl full}: a full node that trains on its shard plus light nodes' data, every round of a task. */
@Command(name = "full", mixinStandardHelpOptions = true,
        description = {"Take part in a federation task as a full node: enroll each round, train on this node's data",
                "and the data light nodes sealed to it, clip, and publish the update (4423) weighted by sample count."})
final class FlFullCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    FlRoleOptions role;
    @Option(names = "--task", required = true, paramLabel = "NADDR", description = "The task: naddr1... or 31410:<hex>:<id>.")
    String task;
    @Option(names = "--shard", required = true, paramLabel = "i/n", description = "This node's MNIST shard.")
    String shard;
    @Option(names = "--limit", defaultValue = "0", description = "Use at most this many samples of the shard (0: all).")
    int limit;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        String[] t = FlRoleOptions.task(cli, task);
        int[] s = FlRoleOptions.shard(cli, shard);
        Dataset own = limited(new FlData(role.seed, role.testSize, role.rootSize).shard(role.mnist(), s[0], s[1]), limit);
        KeyPair keys = role.keys(cli, "full");
        java.nio.file.Path db = role.db != null ? role.db : Files.createTempFile("fedai-fl-full-", ".db");
        try (FlJournal journal = FlJournal.open(db); RelayPool pool = role.pool(cli, keys);
                FullNodeRole node = new FullNodeRole(pool, keys, journal,
                        new FullNodeRole.Settings(PublicKey.of(t[0]), t[1], own, contribution.contribution(), role.seed + s[0], role.maxWait()),
                        RoundLog.to(cli.getOut()))) {
            cli.getOut().printf("full node %s, shard %s: %d samples%n", keys.npub(), shard, own.size());
            cli.getOut().flush();
            node.run();
        }
        return 0;
    }

    /**
     * What this node sends of its update. A mixin with no option of its own: the tests' command factory makes a
     * subclass that adds one, so that fault injection lives in the tests, not in fedai.
     */
    @Command
    static class ContributionChoice {
        Contribution contribution() {
            return Contribution.HONEST;
        }
    }

    @Mixin
    ContributionChoice contribution;

    static Dataset limited(Dataset d, int limit) {
        if (limit <= 0 || limit >= d.size()) {
            return d;
        }
        return d.select(java.util.stream.IntStream.range(0, limit).toArray());
    }
}
