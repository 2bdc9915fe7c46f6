package org.fedai.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.lnd.LndConfig;
import org.fedai.payment.lnd.LndException;
import org.fedai.payment.lnd.LndPaymentBackend;
import org.fedai.payment.nwc.NwcClient;
import org.fedai.payment.nwc.NwcException;
import org.fedai.payment.nwc.NwcPaymentBackend;
import org.fedai.payment.nwc.NwcUri;
import org.fedai.payment.nwc.PoolNwcTransport;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The wallet a node, router or client pays and invoices with, as one exclusive option group: a NIP-47 wallet
 * ({@code --nwc}), an LND node ({@code --lnd} with its certificate and macaroon), or, when neither is
 * given, the dev wallet ledger the command opens itself.
 */
final class WalletChoice {

    /** LND's three connection options go together. */
    static final class Lnd {
        @Option(names = "--lnd", paramLabel = "HOST:PORT", required = true,
                description = "LND gRPC address (lnd.conf rpclisten, default port 10009).")
        String address;

        @Option(names = "--lnd-cert", paramLabel = "FILE", required = true,
                description = "LND's TLS certificate (tls.cert in LND's directory).")
        Path cert;

        @Option(names = "--lnd-macaroon", paramLabel = "FILE", required = true,
                description = "Macaroon with invoice and offchain permissions (invoice.macaroon cannot pay).")
        Path macaroon;
    }

    @Option(names = "--nwc", paramLabel = "URI", description = {"Pay and invoice through this nostr+walletconnect:// wallet",
        "(default: $FEDAI_NWC, when no other wallet option is given)."})
    String nwc;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    Lnd lnd;

    /** A wallet chosen on the command line, and what must be closed with it. */
    record Opened(PaymentBackend backend, String description, List<AutoCloseable> resources) implements AutoCloseable {
        /** Closes every resource, the last opened first, even when one of them fails. */
        @Override
        public void close() {
            IllegalStateException failure = null;
            for (AutoCloseable r : resources.reversed()) {
                try {
                    r.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = new IllegalStateException("closing the wallet failed", e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** The environment variable a role reads its NWC URI from, so the secret stays off the command line. */
    static final String NWC_ENV = "FEDAI_NWC";

    /**
     * The wallet named on the command line; when none is (no --nwc, --lnd or --wallet-db), the NWC wallet
     * {@link #NWC_ENV} names, if set.
     */
    static WalletChoice withEnvironment(WalletChoice choice, Path walletDb) {
        String fromEnv = System.getenv(NWC_ENV);
        if (external(choice) || walletDb != null || fromEnv == null || fromEnv.isBlank()) {
            return choice;
        }
        WalletChoice env = new WalletChoice();
        env.nwc = fromEnv.strip();
        return env;
    }

    static boolean external(WalletChoice choice) {
        return choice != null && (choice.nwc != null || choice.lnd != null);
    }

    /**
     * Opens the NWC wallet or LND node named on the command line, or the dev wallet {@code dev} supplies.
     * Missing files and unreachable wallets are usage errors with their reason, before any role starts.
     */
    static Opened open(CommandLine cli, WalletChoice choice, Supplier<Opened> dev) {
        if (choice != null && choice.lnd != null) {
            return openLnd(cli, choice.lnd);
        }
        if (choice != null && choice.nwc != null) {
            return openNwc(cli, choice.nwc);
        }
        return dev.get();
    }

    static Opened openLnd(CommandLine cli, Lnd lnd) {
        requireFile(cli, "--lnd-cert", lnd.cert);
        requireFile(cli, "--lnd-macaroon", lnd.macaroon);
        LndConfig config;
        try {
            config = LndConfig.parse(lnd.address, lnd.cert, lnd.macaroon);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--lnd " + lnd.address + ": " + e.getMessage());
        }
        try {
            LndPaymentBackend backend = LndPaymentBackend.connect(config);
            return new Opened(backend, "LND at " + config.address() + ", " + backend.network().name().toLowerCase(),
                    List.of(backend));
        } catch (LndException e) {
            throw new CommandLine.ParameterException(cli, "--lnd " + lnd.address + ": " + e.getMessage());
        }
    }

    private static void requireFile(CommandLine cli, String option, Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new CommandLine.ParameterException(cli, option + " " + path + ": no such readable file");
        }
    }

    private static Opened openNwc(CommandLine cli, String uri) {
        NwcUri parsed;
        try {
            parsed = NwcUri.parse(uri);
        } catch (NwcUri.InvalidNwcUri e) {
            throw new CommandLine.ParameterException(cli, "--nwc: " + e.getMessage());
        }
        List<AutoCloseable> resources = new ArrayList<>();
        RelayPool pool = PoolNwcTransport.connect(parsed.relays());
        resources.add(pool);
        NwcClient client = new NwcClient(parsed, new PoolNwcTransport(pool), NwcClient.Timeouts.FOR_ROLES,
                Clock.systemUTC());
        resources.add(client);
        try {
            NwcPaymentBackend backend = NwcPaymentBackend.connect(client);
            return new Opened(backend, "NWC wallet " + parsed.walletPubkey().substring(0, 16) + " on "
                    + String.join(" ", parsed.relays()), resources);
        } catch (NwcException | IllegalArgumentException e) {
            client.close();
            pool.close();
            throw new CommandLine.ParameterException(cli, "--nwc: the wallet did not answer get_info: " + e.getMessage());
        }
    }
}
