package org.fedai.domain;

/** A market job, named by the id of the client's spec event (event-kinds/market-flow.md). */
public record JobId(String hex) {

    public JobId {
        HexId.check(hex, "a job id");
    }

    public static JobId of(String hex) {
        return new JobId(hex);
    }

    /** {@code hex} as a job id, or empty when it is not one (a peer's event naming no job of ours). */
    public static java.util.Optional<JobId> parse(String hex) {
        try {
            return java.util.Optional.of(new JobId(hex));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public String toString() {
        return hex;
    }
}
