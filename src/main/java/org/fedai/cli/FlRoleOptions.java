package org.fedai.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.data.MnistLoader;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip19;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.protocol.FedaiKind;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options every `fedai fl` role process shares: relays, key, journal, and how the demo data is cut. */
final class FlRoleOptions {

    @Option(names = "--relay", paramLabel = "URL", required = true, description = "Relay to use (repeatable).")
    List<String> relays;

    @Option(names = "--key", paramLabel = "nsec|hex", description = "This role's Nostr secret key.")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE", description = {"File holding this role's secret key; created (0600)",
        "when missing. Default: ~/.fedai/fl-<role>.key (give each instance on one machine its own)."})
    Path keyFile;

    @Option(names = "--db", paramLabel = "FILE", description = "Round journal (SQLite); a restart with the same file resumes.")
    Path db;

    @Option(names = "--data", paramLabel = "DIR", description = "MNIST install prefix (default data/mnist or $FEDAI_MNIST).")
    Path data;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the shared MNIST shuffle (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--test-size", defaultValue = "1000", description = "Samples held out as the aggregator's test set (default ${DEFAULT-VALUE}).")
    int testSize;

    @Option(names = "--root-size", defaultValue = "200", description = "Samples held as the validator's root set (default ${DEFAULT-VALUE}).")
    int rootSize;

    @Option(names = "--max-wait", defaultValue = "1800", description = "Seconds to wait for the task or a round before giving up (default ${DEFAULT-VALUE}).")
    long maxWaitSeconds;

    /** The role's key: --key, --key-file, or {@code fl-<role>.key} in fedai's folder, kept across runs. */
    KeyPair keys(CommandLine cli, String role) throws IOException {
        return KeyFiles.load(cli, key, keyFile, key == null && keyFile == null ? FedaiHome.file("fl-" + role + ".key")
                : null);
    }

    RelayPool pool(CommandLine cli, KeyPair keys) {
        RelayPool pool = new RelayPool(RelayPoolConfig.defaults().withAuthKeys(keys));
        CliOptions.addRelays(cli, pool, relays);
        return pool;
    }

    Duration maxWait() {
        return Duration.ofSeconds(maxWaitSeconds);
    }

    Dataset mnist() {
        return loadMnist(data);
    }

    /** MNIST from {@code data}, or the default install; a missing install is one line naming where it looked. */
    static Dataset loadMnist(Path data) {
        Path root = data != null ? data : MnistLoader.defaultRoot();
        if (!MnistLoader.isInstalled(root)) {
            throw new CommandFailure(MnistLoader.FETCH_HINT + " (looked in " + root.toAbsolutePath() + ")");
        }
        return MnistLoader.load(root);
    }

    /** {@code i/n}: shard i (0-based) of n. */
    static int[] shard(CommandLine cli, String spec) {
        String[] parts = spec.split("/");
        try {
            int i = Integer.parseInt(parts[0]);
            int n = Integer.parseInt(parts[1]);
            if (parts.length == 2 && n >= 1 && i >= 0 && i < n) {
                return new int[] {i, n};
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(cli, "--shard must be i/n with 0 <= i < n, got " + spec);
    }

    /** A task named as {@code naddr1...} or {@code 31410:<coordinator hex>:<d>}: returns {coordinator, d}. */
    static String[] task(CommandLine cli, String spec) {
        try {
            if (spec.startsWith("naddr1") || spec.startsWith("nostr:naddr1")) {
                if (Nip19.decode(spec) instanceof Nip19.Naddr a && a.kind() == FedaiKind.FEDERATION_TASK.number()) {
                    return new String[] {a.pubkey(), a.identifier()};
                }
            } else {
                String[] parts = spec.split(":", 3);
                if (parts.length == 3 && parts[0].equals("31410") && parts[1].matches("[0-9a-f]{64}")) {
                    return new String[] {parts[1], parts[2]};
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--task " + spec + ": " + e.getMessage());
        }
        throw new CommandLine.ParameterException(cli, "--task must be an naddr of a 31410 or 31410:<coordinator hex>:<id>");
    }
}
