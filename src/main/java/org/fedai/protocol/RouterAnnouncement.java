package org.fedai.protocol;

import java.util.List;
import java.util.Map;

/** A router's terms (kind 31401, event-kinds/31401-router-announcement.md). */
public record RouterAnnouncement(String routerId, String software, Fee fee, PaymentTerms payment, Policy policy,
        Probation probation, Map<String, Double> benchmarks, List<String> relays, long expiresAt) {

    public RouterAnnouncement {
        benchmarks = Map.copyOf(benchmarks);
        relays = List.copyOf(relays);
    }

    /** {@code base + price * ppm / 1e6}, rounded down; paid to the router's own invoice. */
    public record Fee(long baseMsat, long ppm) {
        public Fee {
            if (baseMsat < 0 || ppm < 0 || ppm > 1_000_000) {
                throw new IllegalArgumentException("fee must be non-negative and ppm at most 1e6");
            }
        }

        /** Split as q * 1e6 + r so that no product can overflow for any price in msat. */
        public long forPrice(long priceMsat) {
            return baseMsat + (priceMsat / 1_000_000) * ppm + (priceMsat % 1_000_000) * ppm / 1_000_000;
        }
    }

    public record Policy(long maxJobMsat, int powDifficulty, int maxJobsPerMinute) {
    }

    public enum ProbationState {
        PROBATION, ACTIVE;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Probation(ProbationState state, long completedJobs) {
    }
}
