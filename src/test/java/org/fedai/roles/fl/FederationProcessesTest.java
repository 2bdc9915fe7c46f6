package org.fedai.roles.fl;

import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.fedai.fl.data.MnistFixture;
import org.fedai.fl.data.MnistLoader;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.protocol.FlChunk;
import org.fedai.protocol.FlChunkCodecs;
import org.fedai.protocol.FlChunking;
import org.fedai.protocol.FlContext;
import org.awaitility.Awaitility;
import org.fedai.testing.ProcessTest;
import org.fedai.testing.RoleProcess;
import org.fedai.testing.ThirdPartyRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The federation as separate OS processes against a relay we did not write: one light node seals data to a
 * full node, four full nodes (one flipping its update's sign) train on their MNIST shards, a validator scores
 * every update, and the aggregator runs three plain rounds. The aggregator is stopped after round 1 as if
 * killed and restarted on its journal. Then the round is recomputed from the relay in this JVM, a forged
 * checkpoint is caught, and the light node withdraws.
 */
@ProcessTest
class FederationProcessesTest {

    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    @Test
    void rolesRunAsProcessesOverTheThirdPartyRelayAndTheRoundsVerify() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        MnistFixture.mnist(); // skips visibly when MNIST is not fetched
        String mnist = MnistLoader.defaultRoot().toAbsolutePath().toString();
        KeyPair aggregator = KeyPair.generate();
        KeyPair validator = KeyPair.generate();
        KeyPair light = KeyPair.generate();
        List<KeyPair> full = List.of(KeyPair.generate(), KeyPair.generate(), KeyPair.generate(), KeyPair.generate());
        String taskId = "proc-test";
        String task = FlContext.taskAddress(aggregator.publicKey(), taskId);
        List<RoleProcess> started = new ArrayList<>();
        try (ThirdPartyRelay relay = ThirdPartyRelay.start()) {
            String url = relay.url().toString();
            RoleProcess lightNode = start(started, "light", "fl", "light", "--relay", url, "--key", light.nsec(), "--task", task,
                    "--to", full.get(0).npub(), "--shard", "4/5", "--limit", "300", "--data", mnist);
            assertThat(lightNode.awaitExit(ROUND_TIMEOUT)).as(lightNode.output()).isZero();
            lightNode.awaitLine("sent 300 samples", Duration.ofSeconds(1));

            RoleProcess validatorNode = start(started, "validator", "fl", "validate", "--relay", url, "--key", validator.nsec(), "--task", task,
                    "--data", mnist, "--db", dir.resolve("validator.db").toString());
            List<RoleProcess> fullNodes = new ArrayList<>();
            for (int i = 0; i < full.size(); i++) {
                fullNodes.add(start(started, "full" + i, "fl", "full", "--relay", url, "--key", full.get(i).nsec(), "--task", task,
                        "--shard", i + "/5", "--limit", "600", "--data", mnist, "--db", dir.resolve("full" + i + ".db").toString(),
                        "--attack", i == 3 ? "signflip" : "none"));
            }
            // a loaded machine starts JVMs slowly: the aggregator's deadlines start once everyone is listening
            validatorNode.awaitLine("root set of \\d+ samples", ROUND_TIMEOUT);
            for (RoleProcess f : fullNodes) {
                f.awaitLine("^full node .* samples", ROUND_TIMEOUT);
            }
            String[] aggregate = {"fl", "aggregate", "--relay", url, "--key", aggregator.nsec(), "--task-id", taskId,
                "--rounds", "3", "--participants", "4", "--validator", validator.npub(), "--enroll-seconds", "60",
                "--update-seconds", "60", "--data", mnist, "--db", dir.resolve("aggregator.db").toString()};
            RoleProcess first = start(started, "aggregator", concat(aggregate, "--exit-after-round", "1"));
            assertThat(first.awaitExit(ROUND_TIMEOUT)).as(first.output()).isEqualTo(3);
            double round1 = Double.parseDouble(first.awaitLine("round 1 accuracy (\\S+)", Duration.ZERO).group(1));

            java.nio.file.Path exported = dir.resolve("model.json");
            java.nio.file.Path curve = dir.resolve("curve.png");
            RoleProcess second = start(started, "aggregator-restarted", concat(aggregate, "--export", exported.toString(),
                    "--plot", curve.toString()));
            assertThat(second.awaitExit(ROUND_TIMEOUT.multipliedBy(2))).as(second.output()).isZero();
            second.awaitLine("resuming after round 1", Duration.ZERO);
            assertThat(second.matching("^round 1 ")).as("round 1 is not redone").isEmpty();
            Matcher last = second.awaitLine("final accuracy (\\S+) checkpoint ([0-9a-f]{64})", Duration.ZERO);
            double finalAccuracy = Double.parseDouble(last.group(1));
            String checkpoint = last.group(2);
            // the trained model leaves the process: the exported parameters hash to the published checkpoint
            com.fasterxml.jackson.databind.JsonNode model = org.fedai.nostr.Json.MAPPER.readTree(exported.toFile());
            assertThat(model.get("checkpoint_sha256").asText()).isEqualTo(checkpoint);
            double[] parameters = new double[model.get("parameters").size()];
            for (int i = 0; i < parameters.length; i++) {
                parameters[i] = model.get("parameters").get(i).asDouble();
            }
            assertThat(org.fedai.fl.Checkpoint.hash(parameters)).isEqualTo(checkpoint);
            assertThat(curve).isNotEmptyFile();
            // the untrained model (all zeros) guesses one class; training moves well past it and keeps improving
            double untrained = org.fedai.fl.model.LocalTrainer.accuracy(new org.fedai.fl.model.LogisticRegression(
                    MnistLoader.PIXELS, MnistLoader.CLASSES), FlData.DEFAULT.test(MnistFixture.mnist()));
            assertThat(round1).isGreaterThan(untrained + 0.3);
            // single rounds are noisy by a point or two; over the run the model must not get worse
            assertThat(finalAccuracy).as(first.output() + "\n" + second.output()).isGreaterThan(round1 - 0.02)
                    .isGreaterThan(0.7);

            // the sign-flipping node is excluded by the validator every round, and from round 3 as a repeat offender
            String flipper = RoundState.participantId(full.get(3).publicKey());
            assertThat(first.awaitLine("round 1 .*excluded \\[([^]]*)]", Duration.ZERO).group(1)).isEqualTo(flipper);
            for (int r = 2; r <= 3; r++) {
                assertThat(second.awaitLine("round " + r + " .*excluded \\[([^]]*)]", Duration.ZERO).group(1)).isEqualTo(flipper);
            }
            fullNodes.get(0).awaitLine("300 samples from light node " + light.npub().substring(0, org.fedai.nostr.Nip19.SHORT_NPUB), Duration.ofSeconds(30));
            fullNodes.get(0).awaitLine("round 1 update from 900 samples \\(300 from light nodes\\)", Duration.ofSeconds(30));
            for (RoleProcess f : fullNodes) {
                assertThat(f.awaitExit(Duration.ofSeconds(60))).as(f.output()).isZero();
            }

            try (RelayPool pool = new RelayPool()) {
                pool.addRelay(url);
                RoundVerifier.Verdict v = RoundVerifier.verify(pool, PublicKey.of(aggregator.publicKey()), taskId, 3, PublicKey.of(full.get(0).publicKey()),
                        Duration.ofSeconds(30));
                assertThat(v.problems()).isEmpty();
                assertThat(v.recomputedSha256()).isEqualTo(checkpoint);
                assertThat(v.mineIncluded()).contains(true);
                RoundVerifier.Verdict flipped = RoundVerifier.verify(pool, PublicKey.of(aggregator.publicKey()), taskId, 3,
                        PublicKey.of(full.get(3).publicKey()), Duration.ofSeconds(30));
                assertThat(flipped.mineIncluded()).contains(false);

                RoleProcess cli = start(started, "verify-round", "fl", "verify-round", "--relay", url, "--task", task,
                        "--round", "3", "--mine", full.get(1).nsec());
                assertThat(cli.awaitExit(ROUND_TIMEOUT)).as(cli.output()).isZero();
                cli.awaitLine("mine included true", Duration.ZERO);
                cli.awaitLine("^round verified", Duration.ZERO);

                forgeCheckpoint(pool, aggregator, task, 3);
                // the relay acknowledges before its store is queryable: wait (bounded) until it serves the forgery
                RoundVerifier.Verdict forged = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                        () -> RoundVerifier.verify(pool, PublicKey.of(aggregator.publicKey()), taskId, 3, null, Duration.ofSeconds(30)),
                        verdict -> !verdict.verified());
                assertThat(forged.problems()).anyMatch(p -> p.contains("differs from the recomputed " + checkpoint));
                RoleProcess caught = start(started, "verify-forged", "fl", "verify-round", "--relay", url, "--task", task,
                        "--round", "3");
                assertThat(caught.awaitExit(ROUND_TIMEOUT)).as(caught.output()).isEqualTo(1);
                caught.awaitLine("problem: published checkpoint [0-9a-f]{64} differs", Duration.ZERO);
            }

            RoleProcess withdraw = start(started, "withdraw", "fl", "light", "--relay", url, "--key", light.nsec(), "--task",
                    task, "--withdraw");
            assertThat(withdraw.awaitExit(ROUND_TIMEOUT)).as(withdraw.output()).isZero();
            withdraw.awaitLine("withdrew \\d+ data chunks", Duration.ZERO);
        } finally {
            for (RoleProcess p : started) {
                p.close();
                System.out.println(p.output()); // surefire keeps it in the test's -output.txt for diagnosis
            }
        }
    }

    @Test
    void secureGroupsRunAsProcessesOverTheThirdPartyRelay() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        MnistFixture.mnist();
        String mnist = MnistLoader.defaultRoot().toAbsolutePath().toString();
        KeyPair aggregator = KeyPair.generate();
        String task = FlContext.taskAddress(aggregator.publicKey(), "secure-proc");
        List<RoleProcess> started = new ArrayList<>();
        try (ThirdPartyRelay relay = ThirdPartyRelay.start()) {
            String url = relay.url().toString();
            List<RoleProcess> fullNodes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fullNodes.add(start(started, "full" + i, "fl", "full", "--relay", url, "--key", KeyPair.generate().nsec(),
                        "--task", task, "--shard", i + "/6", "--limit", "400", "--data", mnist,
                        "--db", dir.resolve("secure-full" + i + ".db").toString()));
            }
            for (RoleProcess f : fullNodes) {
                f.awaitLine("^full node .* samples", ROUND_TIMEOUT);
            }
            RoleProcess agg = start(started, "aggregator", "fl", "aggregate", "--relay", url, "--key", aggregator.nsec(),
                    "--task-id", "secure-proc", "--rounds", "2", "--participants", "6", "--privacy", "secagg",
                    "--group-size", "3", "--aggregation", "median", "--data", mnist, "--db", dir.resolve("secure-agg.db").toString());
            assertThat(agg.awaitExit(ROUND_TIMEOUT)).as(agg.output()).isZero();
            for (int r = 1; r <= 2; r++) {
                Matcher m = agg.awaitLine("round " + r + " accuracy (\\S+) updates 6 used 2 excluded \\[]", Duration.ZERO);
                assertThat(Double.parseDouble(m.group(1))).as(agg.output()).isGreaterThan(0.5);
            }
            for (RoleProcess f : fullNodes) {
                assertThat(f.awaitExit(Duration.ofSeconds(60))).as(f.output()).isZero();
                assertThat(f.matching(", but ")).as(f.output()).isEmpty();
            }
        } finally {
            for (RoleProcess p : started) {
                p.close();
                System.out.println(p.output()); // surefire keeps it in the test's -output.txt for diagnosis
            }
        }
    }

    /** The aggregator's key signing a checkpoint that is not the round's aggregate: verify-round must catch it. */
    private static void forgeCheckpoint(RelayPool pool, KeyPair aggregator, String task, int round) {
        double[] bogus = new double[MnistLoader.PIXELS * MnistLoader.CLASSES + MnistLoader.CLASSES];
        bogus[0] = 1;
        FlContext ctx = new FlContext(task, round, Map.of());
        for (FlChunk c : FlChunking.split(round, "aggregator", "forged-r" + round, "f64le", FlChunking.doubles(bogus))) {
            var event = EventSigner.sign(FlChunkCodecs.encodeCheckpointChunk(c, ctx, Instant.now().getEpochSecond()), aggregator);
            assertThat(pool.publish(event, Duration.ofSeconds(10)).join().acceptedByAny()).isTrue();
        }
    }

    private RoleProcess start(List<RoleProcess> started, String name, String... args) throws java.io.IOException {
        // the test-side fedai, for --attack: fedai itself has no fault option
        RoleProcess p = RoleProcess.start(name, dir, RoleProcess.Jvm.QUICK_START, "org.fedai.cli.FaultyFedai", args);
        started.add(p);
        return p;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
