package org.fedai.fl.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.fedai.cli.FedaiCommand;
import org.fedai.fl.data.MnistFixture;
import org.fedai.fl.he.HeConfig;
import org.fedai.fl.model.TrainingConfig;
import org.junit.jupiter.api.Test;

class PaillierSimulationTest {

    private static SimulationConfig small(boolean secure) {
        return new SimulationConfig(4, 2, Attack.NONE, 0, "fedavg", secure, 0, false, 4, SimulationConfig.ModelKind.LOGREG, 0,
                new TrainingConfig(1, 32, 0.1, 1.0), 0, 1000, 100, false);
    }

    @Test
    void paillierFedAvgFollowsPlainFedAvgRoundByRound() {
        FlSimulator.Result plain = FlSimulator.run(small(false), MnistFixture.mnist(), r -> { });
        PaillierSum paillier = PaillierSum.withFreshKey(1024, HeConfig.DEFAULT_VALUE_BITS, new SecureRandom());
        FlSimulator.Result he = FlSimulator.run(small(true), MnistFixture.mnist(), r -> { }, InProcessTransport::new, paillier);
        assertThat(he.parameters()).isEqualTo(7850);
        assertThat(he.rounds()).hasSize(2).allSatisfy(r -> assertThat(r.failures()).isZero());
        for (int i = 0; i < 2; i++) {
            // same seed, same local training; the aggregate differs from the plain mean by 16-bit rounding only
            assertThat(he.rounds().get(i).accuracy()).isCloseTo(plain.rounds().get(i).accuracy(), offset(0.003));
        }
        assertThat(he.finalAccuracy()).isGreaterThan(0.7);
        // 4 ciphertexts + the product to the key holder + the sum back, per round
        assertThat(he.messages()).isEqualTo(2 * 6);
        assertThat(he.payloadBytes()).isEqualTo(2 * (5L * paillier.ciphertextBytes(7851, 4) + 8L * 7851));
    }

    @Test
    void cliSimulateRunsThePaillierModeAndRefusesWhatItCannotDo() {
        MnistFixture.mnist();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = FedaiCommand.commandLine().execute("fl", "simulate", "--clients", "4", "--rounds", "2", "--model", "logreg",
                    "--epochs", "1", "--privacy", "paillier", "--paillier-bits", "1024");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("secure (paillier, 1024-bit n)").contains("round   2")
                .containsPattern("(?m)^final accuracy 0\\.\\d{4}$");
        for (String[] bad : new String[][] {{"--privacy", "rsa"}, {"--privacy", "paillier", "--paillier-bits", "512"},
            {"--privacy", "paillier", "--relay", "embedded"}}) {
            StringWriter err = new StringWriter();
            picocli.CommandLine cmd = FedaiCommand.commandLine();
            cmd.setErr(new PrintWriter(err));
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("fl", "simulate", "--data", "/nonexistent"),
                    java.util.Arrays.stream(bad)).toArray(String[]::new);
            assertThat(cmd.execute(args)).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", bad)).containsAnyOf("unknown privacy mode", "at least 1024", "in process");
        }
    }
}
