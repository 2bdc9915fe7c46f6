package org.fedai.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.nwc.DevWalletBackend;
import org.fedai.payment.nwc.DevWalletServer;
import org.fedai.payment.nwc.NwcClient;
import org.fedai.payment.nwc.NwcException;
import org.fedai.payment.nwc.NwcPaymentBackend;
import org.fedai.payment.nwc.NwcUri;
import org.fedai.payment.nwc.PoolNwcTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fedai wallet}: a dev Lightning wallet served over NIP-47, and thin clients for any NWC wallet or LND. */
@Command(name = "wallet", mixinStandardHelpOptions = true,
        description = "Nostr Wallet Connect (NIP-47): serve a dev wallet, or pay and invoice through any NWC wallet"
                + " or an LND node.",
        subcommands = {WalletCommand.Serve.class, WalletCommand.Pay.class, WalletCommand.Invoice.class,
            WalletCommand.Balance.class})
public final class WalletCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code fedai wallet serve}: prints one connection URI per account on stdout, then serves until SIGINT/SIGTERM. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serve a dev wallet (SQLite ledger, regtest BOLT #11) over NIP-47; prints one"
                    + " nostr+walletconnect:// URI per account on stdout.")
    public static final class Serve implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--relay", required = true, description = "Relay URL to serve on (repeatable).")
        List<String> relays;

        @Option(names = "--db", description = "SQLite ledger file; in memory when absent.")
        Path db;

        @Option(names = "--accounts", defaultValue = "2", description = "Accounts (connections) to serve (default: ${DEFAULT-VALUE}).")
        int accounts;

        @Option(names = "--balance-msat", defaultValue = "100000000",
                description = "Funds of each new account in msat (default: ${DEFAULT-VALUE}).")
        long balanceMsat;

        @Option(names = "--key-file", description = {"The service's secret key; created (0600) when missing. Default:",
            "~/.fedai/wallet-service.key. The connection URIs derive from it: the same key serves the same URIs."})
        Path keyFile;

        @Option(names = "--fail-route", description = "Fault injection: every payment fails with PAYMENT_FAILED.")
        boolean failRoute;

        @Option(names = "--delay-ms", defaultValue = "0",
                description = "Fault injection: answer pay_invoice this long after paying.")
        long delayMs;

        @Option(names = "--expire-early", description = "Fault injection: invoices expire after 1 second.")
        boolean expireEarly;

        @Option(names = "--retain-days", defaultValue = "30", paramLabel = "DAYS",
                description = {"Forget invoices final this long ago (settled, cancelled, expired unpaid), hourly;",
                    "balances and held payments always stay (default ${DEFAULT-VALUE})."})
        double retainDays;

        @Option(names = "--stats", description = {"Every --summary-interval, a line of the service's counters on stderr",
                "(answered, replayed, unauthorized, malformed, ...): stdout stays the URIs only."})
        boolean stats;

        @Option(names = "--summary-interval", defaultValue = "60", paramLabel = "S",
                description = "Seconds between --stats lines (default ${DEFAULT-VALUE}).")
        double summarySeconds;

        private final ShutdownSignal shutdown = new ShutdownSignal();

        @Override
        public Integer call() throws IOException {
            if (accounts < 1 || balanceMsat < 0 || delayMs < 0 || !(summarySeconds > 0) || !(retainDays > 0)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--accounts, --summary-interval and"
                        + " --retain-days must be positive, --balance-msat and --delay-ms not negative");
            }
            Duration keep = Duration.ofSeconds(Math.round(retainDays * 86_400));
            for (String relay : relays) {
                if (!relay.startsWith("ws://") && !relay.startsWith("wss://")) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--relay " + relay + ": not a ws:// or wss:// URL");
                }
            }
            KeyPair keys = serviceKeys(keyFile);
            DevWalletServer server = DevWalletServer.start(new DevWalletServer.Config(relays, db, accounts, balanceMsat,
                    keys, new DevWalletBackend.Faults(failRoute, Duration.ofMillis(delayMs), expireEarly)));
            try (ShutdownSignal signal = shutdown.install("fedai-wallet-shutdown"); server) {
                // clients read the info event first to pick the encryption: print the URIs once a relay has it
                if (!server.awaitAnnounced(Duration.ofSeconds(30))) {
                    spec.commandLine().getErr().println("fedai wallet: warning: no relay returned the wallet's info event"
                            + " within 30 s; clients may not find it yet");
                }
                spec.commandLine().getErr().println("fedai wallet: NWC service " + keys.npub() + " on " + relays
                        + ", " + accounts + " accounts");
                // the URIs are the only stdout lines, so scripts can read them
                server.uris().forEach(uri -> spec.commandLine().getOut().println(uri.format()));
                spec.commandLine().getOut().flush();
                Duration interval = Duration.ofMillis(Math.round(summarySeconds * 1000));
                server.pruneFinished(keep);
                long prunedAt = System.nanoTime();
                while (!signal.await(interval)) {
                    if (System.nanoTime() - prunedAt >= org.fedai.store.Retention.PRUNE_EVERY.toNanos()) {
                        server.pruneFinished(keep);
                        prunedAt = System.nanoTime();
                    }
                    if (stats) {
                        spec.commandLine().getErr().println(StatsLine.of("wallet", server.counters()));
                        spec.commandLine().getErr().flush();
                    }
                }
                if (stats) {
                    spec.commandLine().getErr().println(StatsLine.of("wallet", server.counters()));
                    spec.commandLine().getErr().flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        private KeyPair serviceKeys(Path file) throws IOException {
            return KeyFiles.load(spec.commandLine(), null, file, file == null ? FedaiHome.file("wallet-service.key") : null);
        }
    }

    /** Options shared by the thin wallet clients: an NWC wallet or an LND node, one of them. */
    static final class Connection {
        @Option(names = "--nwc", description = "nostr+walletconnect:// URI of the wallet (default: $FEDAI_NWC).")
        String uri;

        @CommandLine.ArgGroup(exclusive = false, multiplicity = "0..1")
        WalletChoice.Lnd lnd;

        @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for the wallet (default: ${DEFAULT-VALUE}).")
        double timeoutSeconds;

        /** The work's result, or empty (after saying why on stderr) when the wallet does not answer. */
        <T> java.util.Optional<T> with(CommandLine commandLine, java.util.function.Function<PaymentBackend, T> work) {
            String uri = this.uri != null || lnd != null ? this.uri : System.getenv(WalletChoice.NWC_ENV);
            if ((uri == null) == (lnd == null)) {
                throw new CommandLine.ParameterException(commandLine, "name the wallet with --nwc (or FEDAI_NWC) or"
                        + " with --lnd, --lnd-cert and --lnd-macaroon (one of them)");
            }
            if (lnd != null) {
                try (WalletChoice.Opened opened = WalletChoice.openLnd(commandLine, lnd)) {
                    return java.util.Optional.of(work.apply(opened.backend()));
                }
            }
            NwcUri parsed;
            try {
                parsed = NwcUri.parse(uri);
            } catch (NwcUri.InvalidNwcUri e) {
                throw new CommandLine.ParameterException(commandLine, "--nwc: " + e.getMessage());
            }
            Duration timeout = CliOptions.seconds(commandLine, timeoutSeconds);
            try (RelayPool pool = PoolNwcTransport.connect(parsed.relays());
                 NwcClient client = new NwcClient(parsed, new PoolNwcTransport(pool),
                         new NwcClient.Timeouts(timeout, timeout), java.time.Clock.systemUTC())) {
                NwcPaymentBackend backend;
                try {
                    backend = NwcPaymentBackend.connect(client);
                } catch (NwcException e) {
                    // no wallet behind the URI, or it refused us: nothing that spends was sent
                    commandLine.getErr().println("fedai wallet: get_info failed: " + e.getMessage());
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(work.apply(backend));
            }
        }
    }

    @Command(name = "balance", mixinStandardHelpOptions = true,
            description = {"The balance of an NWC wallet (NIP-47 get_balance): prints '<msat> msat'. The URI may come",
                "from FEDAI_NWC instead of --nwc, to keep the secret off the command line."})
    public static final class Balance implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--nwc", paramLabel = "URI", defaultValue = "${env:FEDAI_NWC}",
                description = "nostr+walletconnect:// URI of the wallet (default: $FEDAI_NWC).")
        String uri;

        @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for the wallet (default: ${DEFAULT-VALUE}).")
        double timeoutSeconds;

        @Override
        public Integer call() throws InterruptedException {
            if (uri == null || uri.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "name the wallet with --nwc URI or FEDAI_NWC");
            }
            NwcUri parsed;
            try {
                parsed = NwcUri.parse(uri);
            } catch (NwcUri.InvalidNwcUri e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--nwc: " + e.getMessage());
            }
            Duration timeout = CliOptions.seconds(spec.commandLine(), timeoutSeconds);
            try (RelayPool pool = PoolNwcTransport.connect(parsed.relays());
                 NwcClient client = new NwcClient(parsed, new PoolNwcTransport(pool),
                         new NwcClient.Timeouts(timeout, timeout), java.time.Clock.systemUTC())) {
                long msat = client.getBalance().get(timeout.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
                spec.commandLine().getOut().println(msat + " msat");
                return 0;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                spec.commandLine().getErr().println("fedai wallet balance: get_balance failed: " + cause.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "pay", mixinStandardHelpOptions = true,
            description = "Pay a BOLT11 invoice through an NWC wallet or LND; prints the result as one JSON line.")
    public static final class Pay implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Connection connection = new Connection();

        @Option(names = "--invoice", required = true, description = "The BOLT11 invoice.")
        String invoice;

        @Option(names = "--amount-msat", description = "Amount for an invoice without one.")
        Long amountMsat;

        @Override
        public Integer call() {
            java.util.Optional<PayResult> outcome = connection.with(spec.commandLine(), backend -> backend.pay(invoice,
                    amountMsat == null ? OptionalLong.empty() : OptionalLong.of(amountMsat)));
            if (outcome.isEmpty()) {
                return 1;
            }
            PayResult result = outcome.get();
            ObjectNode out = Json.MAPPER.createObjectNode();
            switch (result) {
                case PayResult.Paid p -> out.put("status", "paid").put("payment_hash", Hex.encode(p.paymentHash()))
                        .put("preimage", Hex.encode(p.preimage())).put("amount_msat", p.amountMsat());
                case PayResult.Pending p -> out.put("status", "pending").put("payment_hash", Hex.encode(p.paymentHash()))
                        .put("amount_msat", p.amountMsat());
                case PayResult.Failed f -> out.put("status", "failed").put("reason", f.reason().name())
                        .put("detail", f.detail());
            }
            spec.commandLine().getOut().println(out);
            return result instanceof PayResult.Failed ? 1 : 0;
        }
    }

    @Command(name = "invoice", mixinStandardHelpOptions = true,
            description = "Make an invoice through an NWC wallet or LND; prints the BOLT11 string.")
    public static final class Invoice implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Connection connection = new Connection();

        @Option(names = "--amount-msat", required = true, description = "Amount in msat.")
        long amountMsat;

        @Option(names = "--description", description = "Description text.")
        String description;

        @Option(names = "--description-hash", description = "SHA-256 of the description (hex), instead of the text.")
        String descriptionHash;

        @Option(names = "--expiry", defaultValue = "3600", description = "Seconds the invoice stays payable (default: ${DEFAULT-VALUE}).")
        long expirySeconds;

        @Override
        public Integer call() {
            InvoiceRequest request;
            try {
                request = new InvoiceRequest(OptionalLong.of(amountMsat),
                        descriptionHash == null && description == null ? "" : descriptionHash == null ? description : null,
                        descriptionHash == null ? null : Hex.decode(descriptionHash), expirySeconds);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            java.util.Optional<InvoiceResult> outcome = connection.with(spec.commandLine(), b -> b.makeInvoice(request));
            if (outcome.isEmpty()) {
                return 1;
            }
            return switch (outcome.get()) {
                case InvoiceResult.Created c -> {
                    spec.commandLine().getOut().println(c.bolt11());
                    yield 0;
                }
                case InvoiceResult.Failed f -> {
                    spec.commandLine().getErr().println("fedai wallet invoice: " + f.reason() + ": " + f.detail());
                    yield 1;
                }
            };
        }
    }
}
