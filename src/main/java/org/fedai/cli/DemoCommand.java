package org.fedai.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.fedai.nostr.relay.EmbeddedRelay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fedai demo}: the market on embedded defaults (or through {@code --relay}). Exits 0 only when no
 * job was lost and, with {@code --adversarial}, when both misbehaving nodes were slashed with claims that verify
 * from the relay and were sent no work after them. {@code fedai demo relay} checks the Nostr foundation alone.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, subcommands = RelayDemo.class,
        description = {"Run the market end to end in one process: embedded relay (unless --relay), a dev wallet",
            "served over NWC (NIP-47) on the same relay with one connection per role (unless --direct-wallet),",
            "one router, three nodes with different prices and bands, one client; one node is stopped mid-batch."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", paramLabel = "URL", description = "Use this relay instead of the embedded one.")
    String relayUrl;

    @Option(names = "--jobs", defaultValue = "9", description = "Jobs in the batch (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--direct-wallet",
            description = "Give each role an in-process dev wallet instead of an NWC connection to the wallet service.")
    boolean directWallet;

    @Option(names = "--adversarial", description = {"Add misbehaving nodes: one takes a paid job and never delivers;"
        + " the run must end with verified slash claims (4409) against them and no work sent to them after."})
    boolean adversarial;

    @Option(names = "--nip90", description = {"Serve a NIP-90 customer instead of the native batch: embedding and",
            "chunking requests (plain, NIP-44, NIP-04), an underbid and a malformed one, through the gateway."})
    boolean nip90;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (jobs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--jobs must be at least 1");
        }
        if (relayUrl != null) {
            CliOptions.requireReachable(spec.commandLine(), java.util.List.of(relayUrl));
        }
        EmbeddedRelay embedded = relayUrl == null ? EmbeddedRelay.inMemory().start() : null;
        String url = embedded == null ? relayUrl : embedded.url();
        try (MarketDemo demo = new MarketDemo(out, url,
                directWallet ? DemoWallets.Mode.DIRECT : DemoWallets.Mode.NWC, adversarial)) {
            demo.start();
            if (nip90) {
                int lost = demo.nip90(Math.max(1, jobs / 3));
                out.println(lost == 0 ? "demo: ok" : "demo: " + lost + " NIP-90 request(s) lost");
                out.flush();
                return lost == 0 ? 0 : 1;
            }
            boolean baited = !adversarial || demo.baitAdversaries();
            int lost = demo.run(jobs);
            boolean slashed = !adversarial || demo.verifySlashes();
            boolean ok = lost == 0 && baited && slashed;
            out.println(ok ? "demo: ok" : "demo: " + lost + " job(s) lost"
                    + (baited && slashed ? "" : ", adversaries not all slashed and stopped"));
            out.flush();
            return ok ? 0 : 1;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
