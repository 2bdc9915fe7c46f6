package org.fedai.roles.router;

import org.fedai.domain.Msat;
import org.fedai.protocol.RouterAnnouncement;

/**
 * What a router in probation may route, and what it takes to leave probation (docs/operator-guide.md, "Router").
 * {@link #DEFAULT} is the documented standard; an operator may make each term stricter, never looser
 * ({@link #noLooserThan}): more jobs or stake to graduate, a smaller share or smaller jobs meanwhile. The terms
 * are announced in 31401, so a client or node can check a router's graduation against the standard itself.
 *
 * @param requiredJobs       metered jobs to complete before graduating
 * @param requiredStakeUnits effective 31402 units bonded to the router's key needed to graduate (and to stay)
 * @param sharePpm           share of the specs it sees that a router in probation answers, in ppm
 * @param maxJob             largest spec max price a router in probation answers
 * @param maxInputBytes      largest spec input a router in probation answers
 */
public record ProbationTerms(long requiredJobs, long requiredStakeUnits, long sharePpm, Msat maxJob,
        long maxInputBytes) {

    /** 50 jobs and 1 000 units to graduate; meanwhile a quarter of specs, up to 100 sat and 64 KiB of input. */
    public static final ProbationTerms DEFAULT = new ProbationTerms(
            RouterAnnouncement.STANDARD_REQUIRED_JOBS, RouterAnnouncement.STANDARD_REQUIRED_STAKE_UNITS, 250_000, Msat.of(100_000), 64 * 1024);

    public ProbationTerms {
        if (requiredJobs < 0 || requiredStakeUnits < 0 || sharePpm < 0 || sharePpm > 1_000_000 || maxJob == null
                || maxInputBytes < 0) {
            throw new IllegalArgumentException("probation terms must be non-negative and the share at most 1e6 ppm");
        }
    }

    /**
     * These terms, checked to be at least as strict as {@code standard} in every term.
     *
     * @throws IllegalArgumentException naming the first term that would loosen probation
     */
    public ProbationTerms noLooserThan(ProbationTerms standard) {
        if (requiredJobs < standard.requiredJobs) {
            throw looser("jobs to graduate", requiredJobs, standard.requiredJobs, "raised");
        }
        if (requiredStakeUnits < standard.requiredStakeUnits) {
            throw looser("stake units to graduate", requiredStakeUnits, standard.requiredStakeUnits, "raised");
        }
        if (sharePpm > standard.sharePpm) {
            throw looser("share of jobs in probation (ppm)", sharePpm, standard.sharePpm, "lowered");
        }
        if (maxJob.compareTo(standard.maxJob) > 0) {
            throw looser("largest job in probation (msat)", maxJob.value(), standard.maxJob.value(), "lowered");
        }
        if (maxInputBytes > standard.maxInputBytes) {
            throw looser("largest input in probation (bytes)", maxInputBytes, standard.maxInputBytes, "lowered");
        }
        return this;
    }

    private static IllegalArgumentException looser(String term, long value, long standard, String direction) {
        return new IllegalArgumentException("probation may only be made stricter: " + term + " " + value
                + " is looser than the documented " + standard + " (it may only be " + direction + ")");
    }
}
