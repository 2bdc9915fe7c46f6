package org.fedai.cli;

import org.fedai.domain.PublicKey;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.roles.fl.RoundVerifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai fl verify-round}: recompute a round from the relay and check the published checkpoint. */
@Command(name = "verify-round", mixinStandardHelpOptions = true,
        description = {"Recompute a round's aggregate from the relay (previous checkpoint, roster, updates, validator",
                "report) and check every checkpoint the aggregator published; with --mine, that your update was used.",
                "Exit 0 when the round verifies, 1 when it does not."})
final class FlVerifyRoundCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--relay", paramLabel = "URL", required = true, description = "Relay to read (repeatable).")
    java.util.List<String> relays;
    @Option(names = "--task", required = true, paramLabel = "NADDR", description = "The task: naddr1... or 31410:<hex>:<id>.")
    String task;
    @Option(names = "--round", required = true, description = "Round to verify.")
    int round;
    @Option(names = "--mine", paramLabel = "NSEC", description = "Your full node's key: check its update was included.")
    String mine;
    @Option(names = "--timeout", defaultValue = "30", description = "Seconds to wait for the relay (default ${DEFAULT-VALUE}).")
    double timeout;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        String[] t = FlRoleOptions.task(cli, task);
        String minePub = null;
        if (mine != null) {
            try {
                minePub = KeyPair.parse(mine.strip()).publicKey();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, "--mine: " + e.getMessage());
            }
        }
        Duration wait = CliOptions.seconds(cli, timeout);
        try (RelayPool pool = new RelayPool()) {
            CliOptions.addRelays(cli, pool, relays);
            RoundVerifier.Verdict v = RoundVerifier.verify(pool, PublicKey.of(t[0]), t[1], round,
                    minePub == null ? null : PublicKey.of(minePub), wait);
            var out = cli.getOut();
            out.println("round " + v.round() + " recomputed " + v.recomputedSha256());
            out.println("published " + v.publishedSha256());
            out.println("used " + v.used());
            v.mineIncluded().ifPresent(m -> out.println("mine included " + m));
            v.problems().forEach(p -> out.println("problem: " + p));
            out.println("refused events " + v.refused());
            out.println(v.verified() ? "round verified" : "round NOT verified");
            out.flush();
            return v.verified() ? 0 : 1;
        }
    }
}
