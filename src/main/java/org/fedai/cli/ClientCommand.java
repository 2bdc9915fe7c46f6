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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.JobRequest;
import org.fedai.roles.client.ClientConfig;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.JobSubmission;
import org.fedai.store.ClientJournal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fedai client submit}: one job through a router, paid from a dev wallet, NWC wallet or LND node,
 * result printed.
 * {@code fedai client resume}: after a crash, finishes the jobs the journal holds open and prints their results.
 * Both take up the journal's open jobs first (docs/operator-guide.md, "What survives a client crash").
 */
@Command(name = "client", mixinStandardHelpOptions = true, description = "Submit jobs to the market.",
        subcommands = {ClientCommand.Submit.class, ClientCommand.Resume.class})
public final class ClientCommand {

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Send a job to a router, pay the quoted node (and the router's fee), print the result.",
                "Texts come from the arguments, or one per line on stdin. With --journal, jobs a crash left open",
                "are finished too and printed as they end."})
    static final class Submit implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ClientRun run;

        @Option(names = "--router", required = true, paramLabel = "NPUB|HEX",
                description = "A router to use (repeatable): the spec goes to one at a time, graduated routers first,"
                        + " to the next when one has not quoted within --quote-timeout.")
        List<String> routers;

        @Option(names = "--task", defaultValue = "embedding", description = {"What to do with the texts: embedding,",
            "chunk, or chat (each text a prompt; the answer streams to stderr as it comes) (default ${DEFAULT-VALUE})."})
        String task;

        @Option(names = "--model", description = {"The model (default: all-minilm-l6-v2-q for embedding, cl100k_base",
            "for chunk; chat has none: name one a node serves)."})
        String model;

        @Option(names = "--max-price-msat", defaultValue = "100000",
                description = "The most the node may charge for the job, in msat (default ${DEFAULT-VALUE}).")
        long maxPriceMsat;

        /** The model a task gets when --model names none: one the nodes serve out of the box (chat: none). */
        private static final Map<String, String> DEFAULT_MODELS = Map.of("embedding", "all-minilm-l6-v2-q",
                "chunk", "cl100k_base", "chat", "");

        @Option(names = "--timing", defaultValue = "before", converter = TimingConverter.class, paramLabel = "WHEN",
                description = {"When to pay: before (default), after (the result), hold (a hold invoice settled on",
                    "delivery, refunded on failure), atomic (pay to open a result locked under the preimage) or",
                    "partial (one hold invoice per text, each paid once the previous part is delivered)."})
        PaymentTiming timing;

        @Parameters(paramLabel = "TEXT", arity = "0..*")
        List<String> texts = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            if (texts.isEmpty() && System.console() != null) {
                spec.commandLine().getErr().println("reading texts from stdin, one per line; end with Ctrl-D");
            }
            List<String> input = texts.isEmpty() ? stdinLines() : texts;
            if (input.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no texts: give them as arguments or one per line"
                        + " on stdin");
            }
            if (!DEFAULT_MODELS.containsKey(task)) {
                throw new ParameterException(spec.commandLine(), "--task " + task + ": one of "
                        + String.join(", ", new java.util.TreeSet<>(DEFAULT_MODELS.keySet())));
            }
            String model = this.model != null ? this.model : DEFAULT_MODELS.get(task);
            if (model.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--task " + task + " needs --model: the chat model"
                        + " a node serves (its manifest lists it)");
            }
            if (maxPriceMsat < 0) {
                throw new ParameterException(spec.commandLine(), "--max-price-msat must not be negative");
            }
            List<PublicKey> routerKeys = routers.stream()
                    .map(r -> PublicKey.of(CliOptions.pubkey(spec.commandLine(), "--router", r)))
                    .toList();
            return run.run(spec, routerKeys, (client, deadline) -> {
                JobSubmission submission = new JobSubmission(model, task, input, Map.of(), Msat.of(maxPriceMsat),
                        JobRequest.Constraints.none(), timing, run.timeoutSeconds);
                JobOutcome outcome = client.submit(submission).get(run.timeoutSeconds + 5, TimeUnit.SECONDS);
                run.print(outcome, false);
                boolean resumedOk = run.awaitResumed(client, deadline);
                return outcome.succeeded() && resumedOk ? 0 : 1;
            });
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = {"Finish the jobs a crashed client left open in its journal: prove what was paid, collect",
                "and print the results. Needs the same --key and --journal as the run that crashed."})
    static final class Resume implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ClientRun run;

        @Option(names = "--router", paramLabel = "NPUB|HEX",
                description = "The router of the open jobs (default: the one the journal names).")
        String router;

        @Override
        public Integer call() throws Exception {
            if (run.journal == null) {
                throw new ParameterException(spec.commandLine(), "resume needs --journal");
            }
            PublicKey routerKey = router == null ? null : PublicKey.of(CliOptions.pubkey(spec.commandLine(), "--router", router));
            if (routerKey == null) {
                List<PublicKey> open;
                try (ClientJournal j = ClientJournal.open(run.journal)) {
                    open = j.openRouters();
                }
                if (open.isEmpty()) {
                    spec.commandLine().getOut().println("no open jobs in " + run.journal);
                    return 0;
                }
                if (open.size() > 1) {
                    throw new ParameterException(spec.commandLine(), "open jobs with " + open.size()
                            + " routers " + open + ": name one with --router");
                }
                routerKey = open.get(0);
            }
            return run.run(spec, List.of(routerKey), (client, deadline) -> {
                if (client.resumed().isEmpty()) {
                    spec.commandLine().getOut().println("no open jobs for router " + client.publicKey());
                    return 0;
                }
                return run.awaitResumed(client, deadline) ? 0 : 1;
            });
        }
    }

    /** The options and the run every client command shares: relays, key, wallet, journal, output. */
    static class ClientRun {

        @Option(names = "--relay", required = true, paramLabel = "URL", description = "Relay URL (repeatable).")
        List<String> relays;

        @Option(names = "--key", paramLabel = "NSEC|HEX",
                description = "Client key (default: the one in ~/.fedai/client.key, made on first use; results are sealed to it).")
        String key;

        @Option(names = "--key-file", paramLabel = "FILE",
                description = "File holding the client key instead of --key (created, 0600, when missing): off the command line.")
        Path keyFile;

        @Option(names = "--wallet-db", paramLabel = "FILE",
                description = "Dev wallet ledger (SQLite), shared with the node and router in development;"
                        + " required unless --nwc, --lnd or FEDAI_NWC names the wallet.")
        Path walletDb;

        @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "0..1")
        WalletChoice walletChoice;

        @Option(names = "--deposit-msat", defaultValue = "0", description = "Dev faucet: add this much first.")
        long depositMsat;

        @Option(names = "--journal", paramLabel = "FILE",
                description = "Client journal (default: in memory). Keeps payments and open jobs across crashes.")
        Path journal;

        @Option(names = "--quote-timeout", defaultValue = "5", paramLabel = "S",
                description = {"Seconds to wait for a router's quote before trying the next, or giving up after the",
                    "last (default ${DEFAULT-VALUE})."})
        double quoteTimeoutSeconds;

        @Option(names = "--timeout", defaultValue = "60",
                description = "Seconds to wait for the result; the job's deliver_by (default ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Option(names = "--json", description = "Print each outcome as one JSON object per line.")
        boolean json;

        private PrintWriter out;
        /** Each resumed job's printout, done once its outcome is printed in full. */
        private final java.util.Map<JobId, CompletableFuture<Void>> printed =
                new java.util.concurrent.ConcurrentHashMap<>();

        interface Body {
            Integer run(ClientRole client, long deadlineNanos) throws Exception;
        }

        /** The client role this run drives; a test-side subclass wraps it (fault injection lives in the tests). */
        ClientRole newClient(ClientConfig config, RelayPool pool, PaymentBackend wallet, ClientJournal journal,
                PrintWriter err) {
            return new ClientRole(config, pool, wallet, journal);
        }

        Integer run(CommandSpec spec, List<PublicKey> routers, Body body) throws Exception {
            out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            CliOptions.requireReachable(spec.commandLine(), relays);
            // a kept key: a resumed job's result is sealed to it, and routers know a client by it (its standing)
            KeyPair keys = KeyFiles.load(spec.commandLine(), key, keyFile,
                    key == null && keyFile == null ? FedaiHome.file("client.key") : null);
            walletChoice = WalletChoice.withEnvironment(walletChoice, walletDb);
            boolean external = WalletChoice.external(walletChoice);
            if (external == (walletDb != null) || (external && depositMsat > 0)) {
                throw new ParameterException(spec.commandLine(), external
                        ? "--wallet-db and --deposit-msat are for the dev wallet: not with --nwc or --lnd"
                        : "--wallet-db is required unless --nwc or --lnd names the wallet");
            }
            try (WalletChoice.Opened wallet = WalletChoice.open(spec.commandLine(), walletChoice, () -> devWallet(keys));
                    ClientJournal j = journal == null ? ClientJournal.inMemory() : ClientJournal.open(journal);
                    RelayPool pool = new RelayPool(RelayPoolConfig.defaults().withAuthKeys(keys))) {
                CliOptions.addRelays(spec.commandLine(), pool, relays);
                long t0 = System.nanoTime();
                ClientRole client = newClient(ClientConfig.of(keys, routers)
                        .withQuoteTimeout(CliOptions.seconds(spec.commandLine(), quoteTimeoutSeconds)), pool,
                        wallet.backend(), j, err);
                client.onProgress((job, step) -> {
                    err.printf("[%6d ms] %s: %s%n", (System.nanoTime() - t0) / 1_000_000, job.hex().substring(0, 8), step);
                    err.flush();
                });
                client.onChunks((job, chunk) -> {
                    err.print(chunk.text());
                    err.flush();
                });
                try (client) {
                    try {
                        client.start();
                    } catch (IllegalStateException wrongKey) {
                        throw new ParameterException(spec.commandLine(), wrongKey.getMessage());
                    }
                    for (org.fedai.roles.client.ResumedJob r : client.resumed()) {
                        err.println("resuming job " + r.jobId() + " (journaled " + r.journaledState() + ")");
                        // awaited by awaitResumed: the process must not exit while the outcome is half printed
                        printed.put(r.jobId(), r.outcome().thenAccept(o -> print(o, true)));
                    }
                    err.flush();
                    return body.run(client, t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds + 5));
                }
            }
        }

        private WalletChoice.Opened devWallet(KeyPair keys) {
            DevWalletNetwork wallets = DevWalletNetwork.open(walletDb);
            String account = "client-" + keys.publicKey().substring(0, 16);
            DevWallet wallet = wallets.wallet(account, keys.secretKey());
            if (depositMsat > 0) {
                wallets.deposit(account, depositMsat);
            }
            return new WalletChoice.Opened(wallet, "dev wallet account " + account, List.of(wallets));
        }

        /** Waits (to the deadline) for every resumed job; true when all succeeded. */
        boolean awaitResumed(ClientRole client, long deadlineNanos) throws Exception {
            boolean ok = true;
            for (org.fedai.roles.client.ResumedJob r : client.resumed()) {
                CompletableFuture<JobOutcome> f = r.outcome();
                try {
                    JobOutcome o = f.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                    printed.getOrDefault(r.jobId(), CompletableFuture.completedFuture(null)).get(10, TimeUnit.SECONDS);
                    ok &= o.succeeded();
                } catch (TimeoutException e) {
                    print(new JobOutcome(r.jobId(), false, java.util.Optional.empty(), Msat.ZERO, Msat.ZERO, Msat.ZERO,
                            java.time.Duration.ZERO, "", "",
                            "still open at --timeout: run resume again", 0), true);
                    ok = false;
                }
            }
            return ok;
        }

        synchronized void print(JobOutcome o, boolean resumed) {
            if (json) {
                out.println(org.fedai.nostr.Json.MAPPER.createObjectNode().put("job", o.jobId().hex())
                        .put("resumed", resumed).put("succeeded", o.succeeded())
                        .put("node", o.node().map(PublicKey::hex).orElse(""))
                        .put("node_price_msat", o.nodePrice().value()).put("router_fee_msat", o.routerFee().value())
                        .put("paid_msat", o.paid().value()).put("latency_ms", o.latency().toMillis())
                        .put("output_type", o.outputType()).put("output", o.output()).put("failure", o.failure()));
            } else {
                out.println("job      " + o.jobId() + (resumed ? " (resumed after a restart)" : ""));
                out.println("node     " + o.node().map(n -> org.fedai.nostr.Nip19.encodeNpub(n.hex())).orElse("-"));
                out.println("paid     " + o.paid() + " (node " + o.nodePrice().value() + ", router fee "
                        + o.routerFee().value() + ")");
                out.println("latency  " + o.latency().toMillis() + " ms");
                out.println(o.succeeded() ? "result   " + o.outputType() + " " + abbreviate(o.output())
                        : "failed   " + o.failure());
            }
            out.flush();
        }

        private static String abbreviate(String s) {
            return s.length() <= 160 ? s : s.substring(0, 157) + "...";
        }
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
