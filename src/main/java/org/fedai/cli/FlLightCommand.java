package org.fedai.cli;

import org.fedai.domain.PublicKey;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedai.fl.data.Dataset;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.roles.fl.FlData;
import org.fedai.roles.fl.LightNodeRole;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai fl light}: seal this node's data to one full node, or withdraw it. */
@Command(name = "light", mixinStandardHelpOptions = true,
        description = {"Contribute data to a federation task without training: preprocess, seal (NIP-44) to the chosen",
                "full node in hash-committed 4422 chunks; or --withdraw from future rounds (NIP-09 deletion)."})
final class FlLightCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    FlRoleOptions role;
    @Option(names = "--task", required = true, paramLabel = "NADDR", description = "The task: naddr1... or 31410:<hex>:<id>.")
    String task;
    @Option(names = "--to", paramLabel = "NPUB", description = "The full node that receives the data.")
    String to;
    @Option(names = "--shard", paramLabel = "i/n", description = "Which MNIST shard is this node's data.")
    String shard;
    @Option(names = "--limit", defaultValue = "0", description = "Send at most this many samples (0: all).")
    int limit;
    @Option(names = "--withdraw", description = "Delete the data sent for this task; full nodes drop it from later rounds.")
    boolean withdraw;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        String[] t = FlRoleOptions.task(cli, task);
        if (role.key == null) {
            throw new CommandLine.ParameterException(cli, "--key is required: withdrawal must be signed by the key that sent the data");
        }
        KeyPair keys = role.keys(cli, "light");
        try (RelayPool pool = role.pool(cli, keys)) {
            LightNodeRole light = new LightNodeRole(pool, keys, PublicKey.of(t[0]), t[1], Duration.ofSeconds(30));
            if (withdraw) {
                int deleted = light.withdraw();
                cli.getOut().printf("light %s: withdrew %d data chunks from %s%n", keys.npub(), deleted, task);
                return 0;
            }
            if (to == null || shard == null) {
                throw new CommandLine.ParameterException(cli, "give --to and --shard, or --withdraw");
            }
            String full = CliOptions.pubkey(cli, "--to", to);
            int[] s = FlRoleOptions.shard(cli, shard);
            Dataset data = FlFullCommand.limited(new FlData(role.seed, role.testSize, role.rootSize).shard(role.mnist(), s[0], s[1]), limit);
            LightNodeRole.Sent sent = light.contribute(data, full);
            cli.getOut().printf("light %s: sent %d samples (%d bytes, sha256 %s) in %d sealed chunks to %s%n", keys.npub(),
                    data.size(), sent.bytes(), sent.sha256(), sent.eventIds().size(), to);
        }
        return 0;
    }
}
