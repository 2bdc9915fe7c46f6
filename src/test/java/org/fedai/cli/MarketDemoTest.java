package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedai.testing.ProcessTest;
import org.fedai.testing.ThirdPartyRelay;
import org.junit.jupiter.api.Test;

/** `fedai demo` runs the whole market; it must lose no job, on the embedded relay and on a third-party one. */
@ProcessTest
class MarketDemoTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        var cl = FedaiCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString()};
    }

    private static void assertNoJobLost(String[] r, int jobs) {
        assertThat(r[1]).contains("demo: ok", "failover    stopped", jobs + " jobs, " + jobs + " succeeded",
                "metering ledger").doesNotContain("LOST");
        assertThat(r[1]).containsPattern("\\d+ after failover");
        assertThat(r[0]).isEqualTo("0");
    }

    /** By default every role pays, invoices and checks payments through its own NWC connection. */
    private static void assertPaidThroughNwc(String[] r) {
        assertThat(r[1]).containsPattern("wallets     NWC connections to the dev wallet service npub1[02-9ac-hj-np-z]{58} on ws://")
                .contains("dev wallet over NWC");
        Matcher paid = Pattern.compile("client paid (\\d+) msat").matcher(r[1]);
        Matcher held = Pattern.compile("the service holds (\\d+) of the client's (\\d+) msat").matcher(r[1]);
        assertThat(paid.find()).isTrue();
        assertThat(held.find()).isTrue();
        assertThat(Long.parseLong(paid.group(1))).isPositive();
        assertThat(Long.parseLong(held.group(1))).isEqualTo(Long.parseLong(held.group(2)) - Long.parseLong(paid.group(1)));
    }

    @Test
    void embeddedDefaultsRunTheMarketWithFailoverAndLoseNothing() {
        String[] r = run("demo", "--jobs", "4");
        assertNoJobLost(r, 4);
        assertPaidThroughNwc(r);
    }

    @Test
    void directWalletRunsTheMarketOnInProcessWallets() {
        String[] r = run("demo", "--direct-wallet", "--jobs", "4");
        assertNoJobLost(r, 4);
        assertThat(r[1]).contains("in-process dev wallet").doesNotContain("NWC", "the service holds");
    }

    /** Each adversary is slashed with a claim that verifies from the relay, and gets no work after it. */
    private static void assertAdversariesSlashed(String[] r) {
        assertThat(r[1]).containsPattern("adversary   node-x took job [0-9a-f]{8}, paid [1-9]\\d* msat, delivered: no")
                .contains("adversary   router slashed node-x")
                .containsPattern("slash       non_delivery      against node-x  claim [0-9a-f]{64}  valid \\(\\d+ evidence"
                        + " events fetched\\); work orders after: 0")
                .containsPattern("adversary   node-y delivered 3 measured jobs of 32 texts; router slashed it")
                .containsPattern("slash       misrepresentation against node-y  claim [0-9a-f]{64}  valid \\(2 evidence"
                        + " events fetched\\); work orders after: 0");
    }

    @Test
    void adversarialNodesAreSlashedWithVerifiableClaimsAndGetNoMoreWork() {
        String[] r = run("demo", "--adversarial", "--jobs", "4");
        assertNoJobLost(r, 4);
        assertAdversariesSlashed(r);
    }

    @Test
    void theSameFlowRunsThroughTheThirdPartyRelay() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (ThirdPartyRelay relay = ThirdPartyRelay.start()) {
            String[] r = run("demo", "--relay", relay.url().toString(), "--jobs", "4");
            assertNoJobLost(r, 4);
            assertPaidThroughNwc(r);
        }
    }

    @Test
    void adversariesAreSlashedThroughTheThirdPartyRelayToo() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (ThirdPartyRelay relay = ThirdPartyRelay.start()) {
            String[] r = run("demo", "--adversarial", "--relay", relay.url().toString(), "--jobs", "4");
            assertNoJobLost(r, 4);
            assertAdversariesSlashed(r);
        }
    }

    /** A NIP-90-only customer: every valid request gets a result, the underbid and the malformed one an error. */
    private static void assertNip90Answered(String[] r) {
        assertThat(r[1]).contains("demo: ok").doesNotContain("LOST")
                .containsPattern("5700 embedding +ok +processing>payment-required>success +\\d+ +6700, \\d+ chars")
                .containsPattern("5701 chunking +ok +processing>payment-required>success +\\d+ +6701")
                .containsPattern("5700 nip-44 +ok .* sealed NIP44")
                .containsPattern("5700 nip-04 +ok .* sealed NIP04")
                .containsPattern("5700 underbid +ok +error +- +bid_below_price")
                .containsPattern("5700 malformed +ok +error +- +malformed")
                .containsPattern("the router's wallet holds 0 msat");
        Matcher paid = Pattern.compile("the customer paid the nodes (\\d+) msat").matcher(r[1]);
        assertThat(paid.find()).isTrue();
        assertThat(Long.parseLong(paid.group(1))).isPositive();
        assertThat(r[0]).isEqualTo("0");
    }

    @Test
    void nip90CustomersAreServedThroughTheGateway() {
        assertNip90Answered(run("demo", "--nip90", "--jobs", "3"));
    }

    @Test
    void nip90CustomersAreServedThroughTheThirdPartyRelay() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (ThirdPartyRelay relay = ThirdPartyRelay.start()) {
            assertNip90Answered(run("demo", "--nip90", "--relay", relay.url().toString(), "--jobs", "3"));
        }
    }
}
