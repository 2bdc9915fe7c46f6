package org.fedai.fl.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedai.cli.FedaiCommand;
import org.fedai.fl.data.MnistFixture;
import org.fedai.fl.model.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlSimulatorTest {

    private static SimulationConfig small(Attack attack, double attackers, String rule, boolean secure, int group, double dropouts) {
        return new SimulationConfig(9, 3, attack, attackers, rule, secure, dropouts, false, 4, SimulationConfig.ModelKind.LOGREG, 0,
                new TrainingConfig(1, 32, 0.1, 1.0), group, 1000, 100, false);
    }

    @Test
    void secureGroupsWithMultiKrumLearnDespiteASignFlipper() {
        List<FlSimulator.RoundReport> seen = new ArrayList<>();
        FlSimulator.Result r = FlSimulator.run(small(Attack.SIGNFLIP, 0.12, "multikrum", true, 3, 0), MnistFixture.mnist(), seen::add);
        assertThat(seen).hasSize(3);
        assertThat(r.finalAccuracy()).isGreaterThan(0.75);
        assertThat(seen).allSatisfy(x -> assertThat(x.failures()).isZero());
        assertThat(r.messages()).isPositive();
    }

    @Test
    void secureFedAvgGivesTheSameModelAsPlainFedAvgUpToQuantization() {
        FlSimulator.Result plain = FlSimulator.run(small(Attack.NONE, 0, "fedavg", false, 0, 0), MnistFixture.mnist(), x -> { });
        FlSimulator.Result secure = FlSimulator.run(small(Attack.NONE, 0, "fedavg", true, 0, 0.2), MnistFixture.mnist(), x -> { });
        assertThat(plain.finalAccuracy()).isGreaterThan(0.75);
        // dropouts differ in who trains, so compare learning, not bits
        assertThat(secure.finalAccuracy()).isGreaterThan(0.75);
        FlSimulator.Result secureNoDrop = FlSimulator.run(small(Attack.NONE, 0, "fedavg", true, 0, 0), MnistFixture.mnist(), x -> { });
        assertThat(secureNoDrop.finalAccuracy()).isCloseTo(plain.finalAccuracy(), org.assertj.core.data.Offset.offset(0.002));
    }

    @Test
    void dropoutsAreDealtIntoGroupsIndependentlySoTwoSometimesShareOne() {
        // 8 clients, 2 dropped per round, groups of 4 (threshold 3): a round whose two dropped share a group aborts
        // that group; with the groups drawn independently of the dropouts that happens in some of 8 rounds
        SimulationConfig cfg = new SimulationConfig(8, 8, Attack.NONE, 0, "multi_krum", true, 0.25, false, 4,
                SimulationConfig.ModelKind.LOGREG, 0, new TrainingConfig(1, 32, 0.1, 1.0), 4, 1000, 100, false);
        List<FlSimulator.RoundReport> seen = new ArrayList<>();
        FlSimulator.run(cfg, MnistFixture.mnist(), seen::add);
        assertThat(seen).anySatisfy(r -> assertThat(r.failures()).isEqualTo(1));
        assertThat(seen).anySatisfy(r -> assertThat(r.failures()).isZero());
    }

    @Test
    void plainFedAvgCollapsesUnderBoostedSignFlip() {
        FlSimulator.Result r = FlSimulator.run(small(Attack.SIGNFLIP, 0.34, "fedavg", false, 0, 0), MnistFixture.mnist(), x -> { });
        assertThat(r.finalAccuracy()).isLessThan(0.5);
    }

    @Test
    void cliSimulatePrintsRoundsTheFinalAccuracyAndAPlot(@TempDir Path dir) throws Exception {
        MnistFixture.mnist();
        Path png = dir.resolve("curve.png");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = FedaiCommand.commandLine().execute("fl", "simulate", "--clients", "6", "--rounds", "2", "--model", "logreg",
                    "--secure", "--aggregation", "median", "--group-size", "3", "--attack", "gaussian", "--attackers", "0.17",
                    "--plot", png.toString());
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("round   1").contains("round   2").containsPattern("(?m)^final accuracy 0\\.\\d{4}$");
        byte[] head = Files.readAllBytes(png);
        assertThat(head).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void cliRefusesUnknownChoicesWithAReasonBeforeLoadingData() {
        for (String[] bad : new String[][] {{"--attack", "poison"}, {"--aggregation", "mean"}, {"--model", "cnn"},
            {"--attackers", "1.5"}, {"--secure", "--aggregation", "median", "--group-size", "2"}}) {
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine cmd = FedaiCommand.commandLine();
            cmd.setErr(new java.io.PrintWriter(err));
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("fl", "simulate", "--data", "/nonexistent"),
                    java.util.Arrays.stream(bad)).toArray(String[]::new);
            assertThat(cmd.execute(args)).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", bad)).containsAnyOf("unknown", "fractions", "at least 3");
        }
    }
}
