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
            // exact: a price near the top of the range must not wrap into a negative fee
            return Math.addExact(baseMsat, Math.addExact(Math.multiplyExact(priceMsat / 1_000_000, ppm),
                    (priceMsat % 1_000_000) * ppm / 1_000_000));
        }
    }

    public record Policy(long maxJobMsat, int powDifficulty, int maxJobsPerMinute) {
    }

    /** fedai's documented probation standard: metered jobs and bonded stake units a router needs to graduate. */
    public static final long STANDARD_REQUIRED_JOBS = 50;
    public static final long STANDARD_REQUIRED_STAKE_UNITS = 1000;

    public enum ProbationState {
        PROBATION, ACTIVE;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Where the router stands in probation (issue "Trust and the control plane"): a router in {@code PROBATION}
     * answers at most {@code sharePpm} of the specs it sees and only those with a max price up to
     * {@code maxJobMsat} and input up to {@code maxInputBytes}; it graduates once {@code completedJobs >=
     * requiredJobs} and {@code stakeUnits >= requiredStakeUnits} (31402 bonds naming the router).
     * {@code benchmarksCommitment} is sha256 over a salt and the exact admission figures (hex, or empty), which
     * the router keeps and can reveal; {@code benchmarks} carries them rounded.
     */
    public record Probation(ProbationState state, long completedJobs, long requiredJobs, long stakeUnits,
            long requiredStakeUnits, long sharePpm, long maxJobMsat, long maxInputBytes, String benchmarksCommitment) {

        public Probation {
            if (completedJobs < 0 || requiredJobs < 0 || stakeUnits < 0 || requiredStakeUnits < 0 || sharePpm < 0
                    || sharePpm > 1_000_000 || maxJobMsat < 0 || maxInputBytes < 0) {
                throw new IllegalArgumentException("probation figures must be non-negative and share_ppm <= 1e6");
            }
            benchmarksCommitment = benchmarksCommitment == null ? "" : benchmarksCommitment;
        }

        /**
         * How a client or node reads graduation: active, with the jobs and stake it required met, AND terms at
         * least as strict as the reader's standard ({@code minJobs}, {@code minStakeUnits}: fedai's documented
         * 50 and 1000 by default), so a router cannot graduate by announcing lax terms of its own.
         */
        public boolean graduatedUnder(long minJobs, long minStakeUnits) {
            return state == ProbationState.ACTIVE && requiredJobs >= minJobs && requiredStakeUnits >= minStakeUnits
                    && completedJobs >= requiredJobs && stakeUnits >= requiredStakeUnits;
        }

        /** The share of specs this router answers now, in ppm: {@code share_ppm} in probation, all of them after. */
        public long answeredSharePpm() {
            return state == ProbationState.PROBATION ? sharePpm : 1_000_000;
        }

        /**
         * Whether a spec falls in a probation router's share (31401): the first 8 bytes of sha256(spec id ":" router
         * pubkey), read as an unsigned big-endian number, mod 1e6, below {@code sharePpm}. A client grinds its spec
         * (each sealing draws a new id) until this holds, so a router in probation answers it.
         */
        public static boolean inShare(String specId, String routerPubkey, long sharePpm) {
            byte[] digest = org.fedai.nostr.Sha256.hash((specId + ":" + routerPubkey)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Long.remainderUnsigned(java.nio.ByteBuffer.wrap(digest).getLong(), 1_000_000) < sharePpm;
        }

        /** Only the state and count: what announcements before probation terms said (no caps stated). */
        public Probation(ProbationState state, long completedJobs) {
            this(state, completedJobs, 0, 0, 0, 1_000_000, 0, 0, "");
        }
    }
}
