package org.fedai.protocol;

/**
 * Kind 4405 (event-kinds/4405-job-status.md): a node's public progress report on a job, or a router's refusal
 * of a job request (state {@code error} with a {@code reason} code). Public because the router needs
 * {@code accepted} for failover; it carries no job data.
 *
 * @param reason a machine-readable code ({@code [a-z0-9_]{1,64}}) for an {@code error}, or "" (absent)
 */
public record JobStatus(String jobId, String client, String router, State state, String message, String reason) {

    private static final java.util.regex.Pattern REASON = java.util.regex.Pattern.compile("[a-z0-9_]{1,64}");

    public JobStatus {
        message = message == null ? "" : message;
        reason = reason == null ? "" : reason;
        if (!reason.isEmpty() && (state != State.ERROR || !REASON.matcher(reason).matches())) {
            throw new IllegalArgumentException("a reason is a [a-z0-9_]{1,64} code on an error, got " + reason);
        }
    }

    public JobStatus(String jobId, String client, String router, State state, String message) {
        this(jobId, client, router, state, message, "");
    }

    /** Whether {@code code} may be a {@link #reason()}. */
    public static boolean validReason(String code) {
        return REASON.matcher(code).matches();
    }

    /**
     * {@code input_received}: the node holds the client's input, checked against the quoted {@code input_sha256}.
     * Only from then on can the node be held to deliver (4409 {@code non_delivery}): a client that never sends its
     * input cannot get an honest node slashed.
     */
    public enum State {
        ACCEPTED, INPUT_RECEIVED, PROCESSING, PARTIAL, ERROR, SUCCESS;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean terminal() {
            return this == ERROR || this == SUCCESS;
        }
    }
}
