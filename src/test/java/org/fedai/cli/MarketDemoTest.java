package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.fedai.testing.ThirdPartyRelay;
import org.junit.jupiter.api.Test;

/** `fedai demo` runs the whole market; it must lose no job, on the embedded relay and on a third-party one. */
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

    @Test
    void embeddedDefaultsRunTheMarketWithFailoverAndLoseNothing() {
        assertNoJobLost(run("demo", "--jobs", "4"), 4);
    }

    @Test
    void theSameFlowRunsThroughTheThirdPartyRelay() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        try (ThirdPartyRelay relay = ThirdPartyRelay.start()) {
            assertNoJobLost(run("demo", "--relay", relay.url().toString(), "--jobs", "4"), 4);
        }
    }
}
