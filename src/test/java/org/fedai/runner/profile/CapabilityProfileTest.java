package org.fedai.runner.profile;

import com.fasterxml.jackson.databind.JsonNode;
import org.fedai.nostr.Hex;
import org.fedai.runner.EmbeddedRunner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The real profiler on this machine: its output must carry no identifier of the machine. */
class CapabilityProfileTest {

    private static final Pattern MAC = Pattern.compile("(?i)\\b[0-9a-f]{2}([:-][0-9a-f]{2}){5}\\b");
    private static final Pattern LONG_HEX = Pattern.compile("(?i)\\b(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\\b");
    private static final Pattern UUID = Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final CapabilityProfiler profiler =
            new CapabilityProfiler(new HardwareProbe(Path.of("")), "fedai test", Duration.ofMillis(50));

    @Test
    void defaultProfileHasBandsAndRecommendationsOnly() {
        JsonNode json = CapabilityProfileJson.toJson(profiler.profile(false, false));

        assertThat(fieldNames(json)).containsExactly("software", "bands", "recommended_roles");
        assertThat(fieldNames(json.path("bands"))).containsExactly("platform", "cpu", "memory", "disk", "gpu", "simd");
        assertThat(json.path("bands").path("cpu").asText()).isIn("small", "medium", "large");
        assertThat(json.path("bands").path("gpu").asText()).isIn("none", "present");
        assertThat(json.path("recommended_roles").get(0).path("role").asText()).isEqualTo("light-node");
        assertNoIdentifiers(json.toString());
    }

    @Test
    void verboseAddsRawFiguresStillWithoutIdentifiers() {
        JsonNode json = CapabilityProfileJson.toJson(profiler.profile(false, true));

        JsonNode raw = json.path("raw");
        assertThat(raw.path("logical_cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(raw.path("memory_bytes").asLong()).isPositive();
        assertThat(fieldNames(raw)).doesNotContain("hostname", "model_name", "serial", "uuid");
        assertNoIdentifiers(json.toString());
    }

    @Test
    void benchmarksReportPositiveFiguresRoundedByDefault() {
        CapabilityProfile profile = profiler.profile(true, false);
        BenchmarkResults r = profile.benchmarks().orElseThrow();

        assertThat(r.matmulGflops()).isPositive();
        assertThat(r.memoryGBps()).isPositive();
        assertThat(r.sha256MBps()).isPositive();
        assertThat(r.embeddingTextsPerSec()).isPositive();
        assertThat(r).isEqualTo(r.rounded());
        JsonNode bench = CapabilityProfileJson.toJson(profile).path("benchmarks");
        assertThat(fieldNames(bench)).containsExactly("matmul_gflops", "memory_gbps", "sha256_mbps", "embedding_texts_per_s");
    }

    @Test
    void roundingKeepsTwoSignificantFigures() {
        assertThat(BenchmarkResults.round2(1234.5)).isEqualTo(1200.0);
        assertThat(BenchmarkResults.round2(0.04567)).isEqualTo(0.046);
        assertThat(BenchmarkResults.round2(Double.NaN)).isNaN();
    }

    @Test
    void benchmarkThatCannotRunIsNullInJson() {
        var profile = new CapabilityProfile("fedai test",
                BandClassifier.classify(new HardwareProbe(Path.of("")).probe()), List.of(),
                java.util.Optional.of(new BenchmarkResults(1, 2, 3, Double.NaN)), java.util.Optional.empty());
        assertThat(CapabilityProfileJson.toJson(profile).path("benchmarks").path("embedding_texts_per_s").isNull()).isTrue();
    }

    @Test
    void embeddedModelNameIsAModelNotAMachine() {
        // the only model name the profiler touches is the bundled one, which is the same on every node
        assertThat(EmbeddedRunner.EMBEDDING_MODEL).doesNotContainPattern(LONG_HEX);
    }

    static void assertNoIdentifiers(String json) {
        assertThat(json).doesNotContainPattern(MAC).doesNotContainPattern(LONG_HEX).doesNotContainPattern(UUID);
        for (String id : machineIdentifiers()) {
            assertThat(json.toLowerCase()).as("profile leaks %s", id).doesNotContain(id.toLowerCase());
        }
        assertThat(json.toLowerCase()).doesNotContain("serial", "hostname", "uuid");
    }

    /** Everything on this machine that would identify it, where readable. */
    static List<String> machineIdentifiers() {
        List<String> ids = new ArrayList<>();
        try {
            ids.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no resolvable hostname here: the other sources still apply
        }
        for (String file : Set.of("/etc/hostname", "/etc/machine-id", "/sys/class/dmi/id/product_serial",
                "/sys/class/dmi/id/product_uuid", "/sys/class/dmi/id/board_serial")) {
            try {
                String v = Files.readString(Path.of(file)).strip();
                if (v.length() >= 4) {
                    ids.add(v);
                }
            } catch (IOException | SecurityException e) {
                // unreadable without privileges, which is the usual case
            }
        }
        String envHost = System.getenv("HOSTNAME");
        if (envHost != null && envHost.length() >= 4) {
            ids.add(envHost);
        }
        ids.add(Path.of("").toAbsolutePath().toString());
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                byte[] mac = nif.getHardwareAddress();
                if (mac != null && mac.length > 0) {
                    ids.add(Hex.encode(mac));
                }
            }
        } catch (IOException e) {
            // no interfaces visible
        }
        ids.removeIf(s -> s.length() < 4);
        return ids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
