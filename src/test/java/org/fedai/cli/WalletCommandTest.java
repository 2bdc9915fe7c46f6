package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.payment.nwc.NwcUri;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code fedai wallet}: usage errors are exit 2 with a reason; a URI with no wallet behind it is exit 1, not a trace. */
@RelayTest
class WalletCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = FedaiCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void serveNeedsARelayAndAWebsocketUrl() {
        assertThat(run("wallet", "serve").exit()).isEqualTo(2);
        Run http = run("wallet", "serve", "--relay", "http://127.0.0.1:1");
        assertThat(http.exit()).isEqualTo(2);
        assertThat(http.err()).contains("not a ws:// or wss:// URL");
        assertThat(run("wallet", "serve", "--relay", "ws://127.0.0.1:1", "--accounts", "0").exit()).isEqualTo(2);
    }

    @Test
    void aMalformedConnectionUriIsAUsageErrorThatDoesNotEchoTheSecret() {
        Run bad = run("wallet", "pay", "--nwc", "nostr+walletconnect://nothex?relay=ws://x&secret=abc", "--invoice", "lnbc1");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("invalid NWC URI").doesNotContain("secret=abc");
    }

    @Test
    void aUriWithNoWalletBehindItFailsCleanly() throws Exception {
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start()) {
            NwcUri nobody = NwcUri.issue(KeyPair.generate().publicKey(), List.of(relay.url()), null);
            Run r = run("wallet", "invoice", "--nwc", nobody.format(), "--amount-msat", "1000", "--timeout", "2");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("get_info failed").containsAnyOf("TIMEOUT", "PUBLISH_FAILED")
                    .doesNotContain(nobody.secret());
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void balanceShowsWhatTheServiceHoldsForTheConnection() throws Exception {
        // the deployability review's client ended 2,000 msat down with no way to see it
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start();
             org.fedai.payment.nwc.DevWalletServer wallet = org.fedai.payment.nwc.DevWalletServer.start(
                     new org.fedai.payment.nwc.DevWalletServer.Config(List.of(relay.url()), null, 1, 12_345,
                             KeyPair.generate(), org.fedai.payment.nwc.DevWalletBackend.Faults.NONE))) {
            assertThat(wallet.awaitAnnounced(java.time.Duration.ofSeconds(10))).isTrue();
            Run r = run("wallet", "balance", "--nwc", wallet.uris().get(0).format(), "--timeout", "10");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out().strip()).isEqualTo("12345 msat");
        }
    }

    @Test
    void balanceWithoutAWalletIsAUsageError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("FEDAI_NWC") == null);
        Run r = run("wallet", "balance");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("fedai wallet balance: name the wallet with --nwc URI or FEDAI_NWC");
    }
}
