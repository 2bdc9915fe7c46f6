package org.fedai.cli;

import org.fedai.nostr.Json;
import org.fedai.runner.profile.BenchmarkResults;
import org.fedai.runner.profile.CapabilityBands;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.runner.profile.CapabilityProfileJson;
import org.fedai.runner.profile.CapabilityProfiler;
import org.fedai.runner.profile.HardwareFacts;
import org.fedai.runner.profile.HardwareProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** `fedai profile`: what this machine could offer the mesh, in coarse bands. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Profiles this machine: coarse capability bands and the roles it could safely take.",
                "Never reports serial numbers, MAC addresses, hostnames or any other unique id.",
                "Roles are only recommended: nothing is enabled."})
public final class ProfileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bench", description = "Also run short benchmarks (about 1.5 s each, warm-up included): matrix multiply, "
            + "memory bandwidth, SHA-256, embeddings.")
    boolean bench;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--verbose", description = "Also print the raw figures behind the bands (opt-in).")
    boolean verbose;

    @Option(names = "--bench-millis", hidden = true, defaultValue = "1000")
    long benchMillis;

    @Override
    public Integer call() throws Exception {
        CapabilityProfile profile = new CapabilityProfiler(new HardwareProbe(Path.of("")), version(),
                Duration.ofMillis(benchMillis)).profile(bench, verbose);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(CapabilityProfileJson.toJson(profile)));
        } else {
            printTable(out, profile);
        }
        out.flush();
        return 0;
    }

    static String version() {
        String v = ProfileCommand.class.getPackage().getImplementationVersion();
        return "fedai " + (v == null ? "dev" : v);
    }

    private static void printTable(PrintWriter out, CapabilityProfile p) {
        CapabilityBands b = p.bands();
        out.println("Capability profile (" + p.softwareVersion() + ")");
        row(out, "platform", b.platform());
        row(out, "cpu", b.cpu().wireName());
        row(out, "memory", b.memory().wireName());
        row(out, "disk", b.disk().wireName());
        row(out, "gpu", b.gpu().wireName());
        row(out, "simd", b.simd().wireName());
        p.benchmarks().ifPresent(r -> printBenchmarks(out, r));
        p.raw().ifPresent(f -> printRaw(out, f));
        out.println();
        out.println("Recommended roles (nothing is enabled; start a role explicitly):");
        p.recommended().forEach(r -> out.printf("  %-22s %s%n", r.role(), r.reason()));
    }

    private static void printBenchmarks(PrintWriter out, BenchmarkResults r) {
        out.println();
        out.println("Benchmarks");
        row(out, "matmul", figure(r.matmulGflops(), "GFLOP/s"));
        row(out, "memory copy", figure(r.memoryGBps(), "GB/s"));
        row(out, "sha256", figure(r.sha256MBps(), "MB/s"));
        row(out, "embeddings", figure(r.embeddingTextsPerSec(), "texts/s"));
    }

    private static void printRaw(PrintWriter out, HardwareFacts f) {
        out.println();
        out.println("Raw figures (--verbose)");
        row(out, "logical cores", Integer.toString(f.logicalCores()));
        row(out, "cpu", f.cpu().vendor() + " family " + f.cpu().family());
        row(out, "vector ext.", String.join(" ", f.cpu().vectorExtensions().stream().sorted().toList()));
        row(out, "memory", gib(f.memoryBytes()));
        row(out, "free disk", gib(f.freeDiskBytes()));
        row(out, "gpu", f.gpu().count() + " device(s), " + f.gpu().memoryMiB() + " MiB (" + f.gpu().source() + ")");
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("  %-14s %s%n", key, value);
    }

    private static String figure(double v, String unit) {
        return Double.isNaN(v) ? "unavailable" : String.format("%.4g %s", v, unit);
    }

    private static String gib(long bytes) {
        return String.format("%.1f GiB", bytes / (double) (1L << 30));
    }
}
