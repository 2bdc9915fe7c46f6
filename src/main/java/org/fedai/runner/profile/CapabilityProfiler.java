package org.fedai.runner.profile;

import org.fedai.runner.EmbeddedRunner;

import java.time.Duration;
import java.util.Optional;

/** Probes the machine, classifies it, optionally benchmarks it, and recommends roles. */
public final class CapabilityProfiler {

    /** Measured time per benchmark (plus half as much warm-up): the whole --bench run stays near 6 s. */
    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(1000);

    private final HardwareProbe probe;
    private final String softwareVersion;
    private final Duration benchBudget;

    public CapabilityProfiler(HardwareProbe probe, String softwareVersion, Duration benchBudget) {
        this.probe = probe;
        this.softwareVersion = softwareVersion;
        this.benchBudget = benchBudget;
    }

    /**
     * @param bench   run the benchmarks
     * @param verbose keep raw figures and unrounded benchmark results (operator opt-in)
     */
    public CapabilityProfile profile(boolean bench, boolean verbose) {
        HardwareFacts facts = probe.probe();
        CapabilityBands bands = BandClassifier.classify(facts);
        Optional<BenchmarkResults> results = Optional.empty();
        if (bench) {
            BenchmarkResults r;
            try (EmbeddedRunner embedded = new EmbeddedRunner(EmbeddedRunner.Config.defaults().withCacheEntries(0))) {
                r = new Benchmarks(benchBudget).run(embedded, EmbeddedRunner.EMBEDDING_MODEL);
            }
            results = Optional.of(verbose ? r : r.rounded());
        }
        return new CapabilityProfile(softwareVersion, bands, RoleRecommender.recommend(bands), results,
                verbose ? Optional.of(facts) : Optional.empty());
    }
}
