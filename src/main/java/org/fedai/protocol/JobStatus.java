package org.fedai.protocol;

/**
 * Kind 4405 (event-kinds/4405-job-status.md): a node's public progress report on a job. Public because
 * the router needs {@code accepted} for failover; it carries no job data.
 */
public record JobStatus(String jobId, String client, String router, State state, String message) {

    public JobStatus {
        message = message == null ? "" : message;
    }

    public enum State {
        ACCEPTED, PROCESSING, PARTIAL, ERROR, SUCCESS;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean terminal() {
            return this == ERROR || this == SUCCESS;
        }
    }
}
