package org.fedai.roles.fl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.fedai.cli.FedaiCommand;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.data.MnistFixture;
import org.fedai.fl.model.TrainingConfig;
import org.fedai.fl.sim.Attack;
import org.fedai.fl.sim.FlSimulator;
import org.fedai.fl.sim.FlSimulator.RoundReport;
import org.fedai.fl.sim.SimulationConfig;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/**
 * Secure rounds through a real relay (embedded, real websockets on loopback) end with the same model as
 * in process. The match is exact, not within a tolerance: the masks cancel exactly mod 2^32, local
 * training is seeded per client and round, and the transport delivers a message only when the events
 * that came back decode to exactly what was sent, so arrival order cannot change any value.
 */
@RelayTest
class RelayRoundTransportTest {

    /** 5 clients, 2 rounds, logistic regression; one client per round vanishes after sharing its keys. */
    private static SimulationConfig small(double dropouts) {
        return new SimulationConfig(5, 2, Attack.NONE, 0, "fedavg", true, dropouts, false, 4,
                SimulationConfig.ModelKind.LOGREG, 0, new TrainingConfig(1, 32, 0.1, 1.0), 0, 500, 100, false);
    }

    @Test
    void secureRoundsOverARelayEndWithTheSameModelAsInProcess() throws Exception {
        Dataset mnist = MnistFixture.mnist();
        for (double dropouts : new double[] {0, 0.2}) {
            SimulationConfig cfg = small(dropouts);
            FlSimulator.Result local = FlSimulator.run(cfg, mnist, r -> { });
            try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start(); RelayPool pool = new RelayPool();
                 RelayRoundTransport wire = connect(pool, relay)) {
                FlSimulator.Result remote = FlSimulator.run(cfg, mnist, r -> { }, wire::fresh);
                assertThat(remote.rounds()).extracting(RoundReport::checkpointSha256)
                        .containsExactlyElementsOf(local.rounds().stream().map(RoundReport::checkpointSha256).toList());
                assertThat(remote.finalAccuracy()).isEqualTo(local.finalAccuracy()).isGreaterThan(0.6);
                assertThat(remote.rounds()).allSatisfy(r -> assertThat(r.failures()).as(r.notes().toString()).isZero());
                assertThat(remote.messages()).isEqualTo(local.messages());
                assertThat(wire.rejections()).isEmpty();
                // every 7851-word masked update needs two 24 KiB chunks: more events than messages
                assertThat(wire.eventsPublished()).isGreaterThan(remote.messages());
                assertThat(relay.stats().toString()).isNotEmpty();
            }
        }
    }

    @Test
    void aVanishedParticipantNeitherSendsNorReceives() throws Exception {
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start(); RelayPool pool = new RelayPool();
             RelayRoundTransport wire = connect(pool, relay)) {
            var keys = new org.fedai.fl.secagg.SecAggMessage.EnrollmentKeys(1, "client-000", new byte[32], new byte[32]);
            keys.cipherPublicKey()[0] = 1;
            keys.maskPublicKey()[0] = 2;
            assertThat(wire.carry("client-000", "aggregator", keys)).isTrue();
            assertThat(wire.messages()).isEqualTo(1);
            assertThat(wire.payloadBytes()).isPositive();
            RelayRoundTransport next = wire.fresh();
            next.vanish("client-000");
            assertThat(next.carry("client-000", "aggregator", keys)).isFalse();
            assertThat(wire.carry("client-000", "aggregator", keys)).isTrue(); // only the next group lost it
        }
    }

    @Test
    void cliSimulateRunsOverAnEmbeddedRelay() {
        MnistFixture.mnist();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = FedaiCommand.commandLine().execute("fl", "simulate", "--clients", "4", "--rounds", "2", "--model",
                    "logreg", "--secure", "--relay", "embedded");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("carried by the relay ws://127.0.0.1:").contains("round   2")
                .containsPattern("relay: \\d+ events published, rejected on arrival \\{}")
                .containsPattern("(?m)^final accuracy 0\\.\\d{4}$");
    }

    @Test
    void cliRefusesARelayWithoutSecureAggregation() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cmd = FedaiCommand.commandLine();
        cmd.setErr(new java.io.PrintWriter(err));
        assertThat(cmd.execute("fl", "simulate", "--data", "/nonexistent", "--relay", "embedded")).isEqualTo(2);
        assertThat(err.toString()).contains("add --secure");
    }

    private static RelayRoundTransport connect(RelayPool pool, EmbeddedRelay relay) {
        pool.addRelay(relay.url());
        return new RelayRoundTransport(pool, "relay-test", Duration.ofSeconds(20));
    }
}
