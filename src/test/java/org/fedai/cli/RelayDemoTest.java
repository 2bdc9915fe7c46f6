package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

@RelayTest
class RelayDemoTest {

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        var cl = FedaiCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute(args);
        return new Run(code, out.toString());
    }

    record Run(int exitCode, String output) {
    }

    @Test
    void embeddedDemoPassesEveryStep() {
        Run r = run("demo", "relay", "--round-trips", "10");
        assertThat(r.output()).contains("ok    manifest", "ok    job spec", "ok    round trips 10/10",
                "ok    forgery", "demo: ok").doesNotContain("FAIL");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void demoRunsAgainstAnExternalRelay() throws Exception {
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start()) {
            Run r = run("demo", "relay", "--relay", relay.url(), "--round-trips", "5");
            assertThat(r.output()).contains("(external)", "demo: ok");
            assertThat(r.exitCode()).isZero();
            assertThat(relay.stats().accepted()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void unreachableRelayFailsTheDemo() {
        Run r = run("demo", "relay", "--relay", "ws://127.0.0.1:1", "--round-trips", "1");
        assertThat(r.exitCode()).isNotZero();
    }
}
