package org.fedai.roles.node;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedai.payment.Bolt11Network;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.PaymentTerms;
import org.fedai.runner.RunnerDescription;
import org.fedai.runner.TaskType;
import org.fedai.runner.profile.BenchmarkResults;
import org.fedai.runner.profile.CapabilityBands;
import org.fedai.runner.profile.CapabilityProfile;

/**
 * The node's 31400 manifest from what it knows of itself: the profiler's coarse bands and benchmarks, what its
 * runner serves, its prices, and the Lightning key its wallet signs invoices with. Pure.
 */
public final class NodeManifest {

    private NodeManifest() {
    }

    public static CapabilityManifest build(NodeConfig config, CapabilityProfile profile, RunnerDescription runner,
            PaymentBackend wallet, long expiresAt) {
        List<CapabilityManifest.ModelOffer> models = new ArrayList<>();
        List<CapabilityManifest.Price> prices = new ArrayList<>();
        for (RunnerDescription.ServedModel served : runner.models()) {
            // The manifest declares each model once, with one task: the first the runner does for it.
            manifestTask(served.tasks()).ifPresent(task -> {
                models.add(new CapabilityManifest.ModelOffer(served.model(), task, config.maxInputBytes()));
                prices.add(new CapabilityManifest.Price(served.model(), "text", config.pricePerText().value(),
                        config.minPrice().value()));
            });
        }
        PaymentTerms payment = new PaymentTerms(config.offeredTimings(), wallet.nodeId(),
                networkName(wallet.network()));
        return new CapabilityManifest(config.nodeId(), profile.softwareVersion().replace(' ', '/'),
                EnumSet.of(CapabilityManifest.Role.INFERENCE), models, prices,
                new CapabilityManifest.Limits(config.maxConcurrentJobs(), config.maxInputBytes()), payment,
                bands(profile.bands()), benchmarks(profile.benchmarks()), config.relays(), expiresAt);
    }

    /** The task names of event-kinds/31400 for a runner's task types. */
    static Optional<String> manifestTask(java.util.Set<TaskType> tasks) {
        for (TaskType t : List.of(TaskType.EMBEDDING, TaskType.CHUNK, TaskType.TEXT_GENERATION)) {
            if (tasks.contains(t)) {
                return Optional.of(t == TaskType.TEXT_GENERATION ? "chat" : t.wireName());
            }
        }
        return Optional.empty();
    }

    static String networkName(Bolt11Network network) {
        return switch (network) {
            case BITCOIN -> "bitcoin";
            case TESTNET -> "testnet";
            case SIGNET -> "signet";
            case REGTEST -> "regtest";
            case SIMNET -> throw new IllegalArgumentException("simnet cannot be declared in a manifest");
        };
    }

    private static Map<String, String> bands(CapabilityBands b) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("platform", b.platform());
        out.put("cpu", b.cpu().wireName());
        out.put("memory", b.memory().wireName());
        out.put("disk", b.disk().wireName());
        out.put("gpu", b.gpu().wireName());
        out.put("simd", b.simd().wireName());
        return out;
    }

    private static Map<String, Double> benchmarks(Optional<BenchmarkResults> results) {
        Map<String, Double> out = new LinkedHashMap<>();
        results.ifPresent(r -> {
            putFinite(out, "embedding_texts_per_s", r.embeddingTextsPerSec());
            putFinite(out, "matmul_gflops", r.matmulGflops());
            putFinite(out, "memory_gb_per_s", r.memoryGBps());
            putFinite(out, "sha256_mb_per_s", r.sha256MBps());
        });
        return out;
    }

    private static void putFinite(Map<String, Double> out, String name, double value) {
        if (Double.isFinite(value) && value >= 0) {
            out.put(name, value);
        }
    }
}
