package org.fedai.cli.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Secp256k1Keys;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.PaymentTerms;
import org.fedai.roles.common.Counters;
import org.fedai.roles.router.NodeRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedai bench registry}: the router's {@link NodeRegistry} filled with signed 31400 manifests through the
 * path a relay delivery takes (signature verified as the pool does, then {@code onManifest}: decode, validate,
 * keep), and the heap it retains: used heap after a full GC with the registry held, minus the same before it
 * was built. Each event is dropped once ingested, so what is measured is what the registry keeps. Run it as its
 * own JVM (the CLI does) so nothing else shares the heap.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Router registry heap with --manifests signed node manifests ingested.")
public final class RegistryBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--manifests", defaultValue = "10000")
    int manifests;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        Counters counters = new Counters();
        NodeRegistry registry = new NodeRegistry(InstantSource.system(), counters, Map.of(), (node, stats) -> { });
        long now = System.currentTimeMillis() / 1000;
        int refused = 0;
        long ingestNanos = 0;
        long ingestCpuNanos = 0;
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < manifests; i++) {
            KeyPair keys = KeyPair.generate();
            Event event = EventSigner.sign(CapabilityManifestCodec.encode(manifest(i, now), now), keys);
            long t0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            if (!EventVerifier.isValid(event) || !registry.onManifest(event)) {
                refused++;
            }
            ingestCpuNanos += threads.getCurrentThreadCpuTime() - cpu0;
            ingestNanos += System.nanoTime() - t0;
        }
        int live = registry.live().size();
        long after = usedAfterGc(memory);
        java.lang.ref.Reference.reachabilityFence(registry);
        long retained = after - before;
        out.printf(Locale.ROOT, "registry: %d manifests ingested (%d refused, %d live), verify+ingest %.1f us each"
                + " (%.1f us of CPU); retained heap %.1f MB (%.0f bytes per manifest); max heap %d MB%n", manifests,
                refused, live, ingestNanos / 1e3 / Math.max(1, manifests),
                ingestCpuNanos / 1e3 / Math.max(1, manifests), retained / 1e6,
                (double) retained / Math.max(1, manifests), Runtime.getRuntime().maxMemory() >> 20);
        out.flush();
        return refused == 0 && live == manifests ? 0 : 1;
    }

    /** A manifest as a MiniLM node publishes it: two models, their prices, bands, a benchmark, one relay. */
    private static CapabilityManifest manifest(int i, long now) {
        String lightning = "02" + Hex.encode(Secp256k1Keys.xOnlyPublicKey(Secp256k1Keys.generateSecretKey()));
        return new CapabilityManifest("node-" + i, "fedai/0.1.0", EnumSet.of(CapabilityManifest.Role.INFERENCE),
                List.of(new CapabilityManifest.ModelOffer("all-minilm-l6-v2-q", "embedding", 32768),
                        new CapabilityManifest.ModelOffer("cl100k_base", "chunk", 32768)),
                List.of(new CapabilityManifest.Price("all-minilm-l6-v2-q", "text", 800 + i % 700, 1000),
                        new CapabilityManifest.Price("cl100k_base", "text", 100, 100)),
                new CapabilityManifest.Limits(2, 32768),
                new PaymentTerms(EnumSet.of(PaymentTiming.BEFORE, PaymentTiming.AFTER), lightning, "regtest"),
                Map.of("cpu", "medium", "memory", "large", "gpu", "none", "locality", "eu"),
                Map.of("embedding_texts_per_s", 118.0), List.of("wss://relay.example"), now + 6 * 3600);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
