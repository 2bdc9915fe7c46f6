package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.payment.lnd.FakeLnd;
import org.fedai.payment.lnd.SelfSignedCert;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wallet options of {@code fedai node} and {@code fedai client submit}: dev wallet, --nwc or --lnd, one of them. */
@RelayTest
class WalletChoiceTest {

    @TempDir
    Path dir;
    EmbeddedRelay relay;
    Path cert;
    Path macaroon;

    @BeforeEach
    void start() throws Exception {
        relay = EmbeddedRelay.inMemory().start();
        cert = SelfSignedCert.write(dir, "tls").certFile();
        macaroon = Files.write(dir.resolve("admin.macaroon"), new byte[] {2, 1});
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private CliRun submit(String... wallet) {
        List<String> args = new ArrayList<>(List.of("client", "submit", "--relay", relay.url(), "--router",
                KeyPair.generate().publicKey(), "--timeout", "1"));
        args.addAll(List.of(wallet));
        args.add("hello");
        return CliRun.run("", args.toArray(String[]::new));
    }

    @Test
    void nwcAndLndAreMutuallyExclusive() {
        CliRun run = submit("--nwc", "nostr+walletconnect://" + "a".repeat(64) + "?relay=ws://x&secret=" + "b".repeat(64),
                "--lnd", "127.0.0.1:10009", "--lnd-cert", cert.toString(), "--lnd-macaroon", macaroon.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mutually exclusive");
    }

    @Test
    void lndNeedsItsCertificateAndMacaroon() {
        CliRun run = submit("--lnd", "127.0.0.1:10009", "--lnd-macaroon", macaroon.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--lnd-cert");
    }

    @Test
    void missingFilesAreNamed() {
        Path absent = dir.resolve("absent.macaroon");
        CliRun run = submit("--lnd", "127.0.0.1:10009", "--lnd-cert", cert.toString(), "--lnd-macaroon", absent.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--lnd-macaroon " + absent + ": no such readable file");
    }

    @Test
    void badAddressAndUnreachableNodeAreUsageErrorsWithTheReason() throws Exception {
        CliRun noPort = submit("--lnd", "localhost", "--lnd-cert", cert.toString(), "--lnd-macaroon", macaroon.toString());
        assertThat(noPort.exitCode()).isEqualTo(2);
        assertThat(noPort.err()).contains("HOST:PORT");

        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CliRun gone = submit("--lnd", "127.0.0.1:" + closed, "--lnd-cert", cert.toString(), "--lnd-macaroon",
                macaroon.toString());
        assertThat(gone.exitCode()).isEqualTo(2);
        assertThat(gone.err()).contains("LND unreachable at 127.0.0.1:" + closed);
    }

    @Test
    void devWalletOptionsDoNotMixWithAnExternalWallet() {
        CliRun both = submit("--wallet-db", dir.resolve("w.db").toString(), "--lnd", "127.0.0.1:10009", "--lnd-cert",
                cert.toString(), "--lnd-macaroon", macaroon.toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("not with --nwc or --lnd");

        CliRun none = submit();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--wallet-db is required unless --nwc or --lnd");
    }

    @Test
    void walletInvoiceAndPayWorkThroughLnd() throws Exception {
        try (FakeLnd lnd = new FakeLnd(Files.createDirectories(dir.resolve("lnd")))) {
            String[] connection = {"--lnd", "127.0.0.1:" + lnd.port(), "--lnd-cert", lnd.cert.certFile().toString(),
                "--lnd-macaroon", lnd.macaroonFile.toString()};
            List<String> args = new ArrayList<>(List.of("wallet", "invoice", "--amount-msat", "3000", "--description", "cli"));
            args.addAll(List.of(connection));
            CliRun invoice = CliRun.run("", args.toArray(String[]::new));
            assertThat(invoice.exitCode()).as(invoice.err()).isZero();
            assertThat(org.fedai.payment.Bolt11Codec.decode(invoice.out().strip()).payeeHex()).isEqualTo(lnd.nodeId);

            args = new ArrayList<>(List.of("wallet", "pay", "--invoice", lnd.remoteInvoice(2_000, FakeLnd.Remote.SETTLES)));
            args.addAll(List.of(connection));
            CliRun pay = CliRun.run("", args.toArray(String[]::new));
            assertThat(pay.exitCode()).as(pay.err()).isZero();
            assertThat(pay.out()).contains("\"status\":\"paid\"").contains("\"amount_msat\":2000");
        }
    }

    @Test
    void walletCommandsNeedExactlyOneWallet() {
        CliRun none = CliRun.run("", "wallet", "invoice", "--amount-msat", "1000");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("name the wallet with --nwc (or FEDAI_NWC) or with --lnd");
    }

    @Test
    void nodeDeclaresTheLndNodesKeyInItsManifest() throws Exception {
        try (FakeLnd lnd = new FakeLnd(Files.createDirectories(dir.resolve("lnd")))) {
            CliRun run = CliRun.run("", "node", "--relay", relay.url(), "--db", dir.resolve("node.db").toString(),
                    "--key", KeyPair.generate().nsec(), "--lnd", "127.0.0.1:" + lnd.port(), "--lnd-cert",
                    lnd.cert.certFile().toString(), "--lnd-macaroon", lnd.macaroonFile.toString(), "--run-seconds", "1");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("lightning   " + lnd.nodeId + " (regtest, LND at 127.0.0.1:" + lnd.port());
        }
    }
}
