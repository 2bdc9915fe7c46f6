package org.fedai.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.payment.nwc.DevWalletBackend;
import org.fedai.payment.nwc.DevWalletServer;
import org.fedai.payment.nwc.NwcClient;
import org.fedai.payment.nwc.NwcResult;
import org.fedai.payment.nwc.NwcTransaction;
import org.fedai.payment.nwc.NwcUri;
import org.fedai.payment.nwc.PoolNwcTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedai bench nwc}: the NIP-47 pay round trip as a client sees it. A dev wallet service (SQLite
 * ledger in a temporary file) serves two accounts over a relay; the payee's invoices are made first, then
 * the payer pays them one at a time through {@link NwcClient}: each round trip is the signed, NIP-44
 * encrypted pay_invoice request out through the relay, the service's ledger transaction, and the encrypted
 * response back. Every preimage is checked against its invoice's payment hash.
 */
@Command(name = "nwc", mixinStandardHelpOptions = true,
        description = {"NWC (NIP-47) pay_invoice round trip through a relay to fedai's dev wallet service:",
            "p50/p99/max per payment and payments per second, sequential, after a warm-up."})
final class NwcBench implements Callable<Integer> {

    private static final long AMOUNT_MSAT = 1_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--relay", paramLabel = "URL", description = "Use this relay instead of the embedded one.")
    String relayUrl;

    @Option(names = "--payments", defaultValue = "200", description = "Payments measured (default ${DEFAULT-VALUE}).")
    int payments;

    @Option(names = "--warmup", defaultValue = "20", description = "Payments before measuring (default ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() throws Exception {
        if (payments < 1 || warmup < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--payments must be positive, --warmup not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path db = Files.createTempFile("fedai-nwc-bench", ".db");
        EmbeddedRelay embedded = relayUrl == null ? EmbeddedRelay.inMemory().start() : null;
        String url = embedded == null ? relayUrl : embedded.url();
        int total = warmup + payments;
        try (DevWalletServer wallet = DevWalletServer.start(new DevWalletServer.Config(List.of(url), db, 2,
                        2 * total * AMOUNT_MSAT, KeyPair.generate(), DevWalletBackend.Faults.NONE));
                RelayPool pool = PoolNwcTransport.connect(List.of(url));
                NwcClient payer = client(wallet.uris().get(0), pool);
                NwcClient payee = client(wallet.uris().get(1), pool)) {
            if (!wallet.awaitAnnounced(Duration.ofSeconds(30))) {
                out.println("nwc: the wallet service's info event never reached the relay");
                return 1;
            }
            List<NwcTransaction> invoices = invoices(payee, total);
            long[] nanos = new long[payments];
            int failed = 0;
            long t0 = 0;
            for (int i = 0; i < total; i++) {
                if (i == warmup) {
                    t0 = System.nanoTime();
                }
                NwcTransaction invoice = invoices.get(i);
                long start = System.nanoTime();
                boolean ok = paid(payer.payInvoice(invoice.invoice(), null), invoice.paymentHash());
                long took = System.nanoTime() - start;
                if (i >= warmup) {
                    nanos[i - warmup] = took;
                    failed += ok ? 0 : 1;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Arrays.sort(nanos);
            out.printf("nwc: %d payments in %.2f s (%.1f payments/s sequential), round trip p50 %.1f ms, p99 %.1f ms,"
                    + " max %.1f ms, %d failed%n", payments, seconds, payments / seconds, ms(percentile(nanos, 0.50)),
                    ms(percentile(nanos, 0.99)), ms(nanos[nanos.length - 1]), failed);
            out.flush();
            return failed == 0 ? 0 : 1;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
            Files.deleteIfExists(db);
        }
    }

    private static NwcClient client(NwcUri uri, RelayPool pool) {
        return new NwcClient(uri, new PoolNwcTransport(pool), NwcClient.Timeouts.DEFAULT, Clock.systemUTC());
    }

    /** The payee's invoices, made before timing starts: only paying is measured. */
    private static List<NwcTransaction> invoices(NwcClient payee, int count) throws Exception {
        List<NwcTransaction> made = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            made.add(payee.makeInvoice(AMOUNT_MSAT, "fedai bench nwc " + i, 3600L).get(30, TimeUnit.SECONDS));
        }
        return made;
    }

    /** Paid, with a preimage that hashes to the invoice's payment hash. */
    private static boolean paid(CompletableFuture<NwcResult.Paid> pay, String paymentHash) {
        try {
            String preimage = pay.get(60, TimeUnit.SECONDS).preimage();
            return Hex.isLowerHex(preimage, 32) && Hex.encode(Sha256.hash(Hex.decode(preimage))).equals(paymentHash);
        } catch (Exception e) {
            return false;
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(sorted.length * p) - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
