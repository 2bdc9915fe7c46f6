package org.fedai.runner.profile;

import org.fedai.runner.profile.CapabilityBands.Gpu;
import org.fedai.runner.profile.CapabilityBands.Size;

import java.util.ArrayList;
import java.util.List;

/**
 * Which roles this machine could take on safely. Advice only: the profiler never enables a
 * role; the operator starts roles explicitly.
 */
public final class RoleRecommender {

    /** @param role the role name as the CLI spells it; @param reason why it fits */
    public record Recommendation(String role, String reason) {
    }

    private RoleRecommender() {
    }

    public static List<Recommendation> recommend(CapabilityBands b) {
        List<Recommendation> out = new ArrayList<>();
        out.add(new Recommendation("light-node", "contributes encrypted data only; runs anywhere"));
        out.add(new Recommendation("router", "matches jobs to nodes; needs relays and little compute"));
        out.add(new Recommendation("inference-embeddings", "the bundled 23 MB embedding model runs on any CPU"));
        if (atLeast(b.cpu(), Size.MEDIUM) && atLeast(b.memory(), Size.MEDIUM)) {
            out.add(new Recommendation("full-node", "enough cores and memory to compute model updates"));
            out.add(new Recommendation("validator", "enough cores and memory to evaluate updates"));
        }
        if (atLeast(b.memory(), Size.MEDIUM) && atLeast(b.disk(), Size.MEDIUM)) {
            out.add(new Recommendation("aggregator", "memory and disk for summing masked updates"));
        }
        if (b.gpu() == Gpu.PRESENT && atLeast(b.memory(), Size.MEDIUM)) {
            out.add(new Recommendation("inference-llm", "a GPU for text generation through a local model server"));
        } else if (b.memory() == Size.LARGE && b.cpu() == Size.LARGE && atLeast(b.disk(), Size.MEDIUM)) {
            out.add(new Recommendation("inference-llm", "large CPU and memory for small quantised models"));
        }
        return List.copyOf(out);
    }

    private static boolean atLeast(Size s, Size floor) {
        return s.compareTo(floor) >= 0;
    }
}
