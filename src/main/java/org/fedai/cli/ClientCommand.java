package org.fedai.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip19;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.PaymentTiming;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.JobSubmission;
import org.fedai.store.ClientJournal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedai client submit}: one job through a router, paid from a dev wallet, result printed. */
@Command(name = "client", mixinStandardHelpOptions = true, description = "Submit jobs to the market.",
        subcommands = ClientCommand.Submit.class)
public final class ClientCommand {

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Send a job to a router, pay the quoted node (and the router's fee), print the result.",
                "Texts come from the arguments, or one per line on stdin."})
    static final class Submit implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--relay", required = true, paramLabel = "URL", description = "Relay URL (repeatable).")
        List<String> relays;

        @Option(names = "--router", required = true, paramLabel = "NPUB|HEX", description = "The router to use.")
        String router;

        @Option(names = "--key", paramLabel = "NSEC|HEX", description = "Client key (default: a fresh one).")
        String key;

        @Option(names = "--wallet-db", paramLabel = "FILE", required = true,
                description = "Dev wallet ledger (SQLite), shared with the node and router in development.")
        Path walletDb;

        @Option(names = "--deposit-msat", defaultValue = "0", description = "Dev faucet: add this much first.")
        long depositMsat;

        @Option(names = "--journal", paramLabel = "FILE", description = "Client journal (default: in memory).")
        Path journal;

        @Option(names = "--task", defaultValue = "embedding", description = "embedding or chunk.")
        String task;

        @Option(names = "--model", defaultValue = "all-minilm-l6-v2-q")
        String model;

        @Option(names = "--max-price-msat", defaultValue = "100000")
        long maxPriceMsat;

        @Option(names = "--timing", defaultValue = "before", converter = TimingConverter.class, paramLabel = "WHEN",
                description = {"When to pay: before (default), after (the result), hold (a hold invoice settled on",
                    "delivery, refunded on failure), atomic (pay to open a result locked under the preimage) or",
                    "partial (one hold invoice per text, each paid once the previous part is delivered)."})
        PaymentTiming timing;

        @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for the result.")
        long timeoutSeconds;

        @Option(names = "--json", description = "Print the outcome as one JSON object.")
        boolean json;

        @Parameters(paramLabel = "TEXT", arity = "0..*")
        List<String> texts = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<String> input = texts.isEmpty() ? stdinLines() : texts;
            KeyPair keys = key == null ? KeyPair.generate() : KeyPair.parse(key);
            String routerHex = router.startsWith("npub1") ? Nip19.decodeNpub(router) : router;
            try (DevWalletNetwork wallets = DevWalletNetwork.open(walletDb);
                    ClientJournal j = journal == null ? ClientJournal.inMemory() : ClientJournal.open(journal);
                    RelayPool pool = new RelayPool()) {
                CliOptions.addRelays(spec.commandLine(), pool, relays);
                DevWallet wallet = wallets.wallet("client-" + keys.publicKey().substring(0, 16), keys.secretKey());
                if (depositMsat > 0) {
                    wallets.deposit("client-" + keys.publicKey().substring(0, 16), depositMsat);
                }
                try (ClientRole client = new ClientRole(ClientRole.Config.of(keys, routerHex), pool, wallet, j)
                        .start()) {
                    PrintWriter err = spec.commandLine().getErr();
                    long t0 = System.nanoTime();
                    client.onProgress((job, step) -> {
                        err.printf("[%6d ms] %s%n", (System.nanoTime() - t0) / 1_000_000, step);
                        err.flush();
                    });
                    client.onChunks((job, chunk) -> {
                        err.print(chunk.text());
                        err.flush();
                    });
                    JobSubmission submission = new JobSubmission(model, task, input, Map.of(), maxPriceMsat,
                            JobRequest.Constraints.none(), timing, timeoutSeconds);
                    JobOutcome outcome = client.submit(submission).get(timeoutSeconds + 5, TimeUnit.SECONDS);
                    print(out, outcome);
                    return outcome.succeeded() ? 0 : 1;
                }
            }
        }

        private void print(PrintWriter out, JobOutcome o) {
            if (json) {
                out.println(Json.MAPPER.createObjectNode().put("job", o.jobId()).put("succeeded", o.succeeded())
                        .put("node", o.node()).put("node_price_msat", o.nodePriceMsat())
                        .put("router_fee_msat", o.routerFeeMsat()).put("paid_msat", o.paidMsat())
                        .put("latency_ms", o.latency().toMillis()).put("output_type", o.outputType())
                        .put("output", o.output()).put("failure", o.failure()));
            } else {
                out.println("job      " + o.jobId());
                out.println("node     " + o.node());
                out.println("paid     " + o.paidMsat() + " msat (node " + o.nodePriceMsat() + ", router fee "
                        + o.routerFeeMsat() + ")");
                out.println("latency  " + o.latency().toMillis() + " ms");
                out.println(o.succeeded() ? "result   " + o.outputType() + " " + abbreviate(o.output())
                        : "failed   " + o.failure());
            }
            out.flush();
        }

        private static String abbreviate(String s) {
            return s.length() <= 160 ? s : s.substring(0, 157) + "...";
        }

        private static List<String> stdinLines() throws java.io.IOException {
            List<String> lines = new ArrayList<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        }
    }
}
