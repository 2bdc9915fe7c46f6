package org.fedai.fl;

/** Why an incoming federation message was refused; machine-readable reason plus a human detail. */
public record Rejection(Reason reason, String detail) {

    public enum Reason {
        /** The sender is not on this round's roster (or did not complete the phase before). */
        NOT_ENROLLED,
        /** The message names another round: stale, replayed or from the future. */
        WRONG_ROUND,
        /** A second message of this phase from the same sender. */
        DUPLICATE,
        /** The vector length does not match the task's model. */
        WRONG_LENGTH,
        /** NaN or infinite values. */
        NOT_FINITE,
        /** Arrived in a phase that is already closed or not yet open. */
        OUT_OF_PHASE,
        /** Structurally invalid: bad key, undecryptable share, contradictory request. */
        MALFORMED,
        /** More contributions than the declared N a packed (Paillier) sum is sized for: its slots would carry. */
        OVER_CAPACITY,
        /** A sum of fewer inputs than the task's minimum would be one client's update in all but name. */
        TOO_FEW_CONTRIBUTORS
    }

    public static Rejection of(Reason reason, String detail) {
        return new Rejection(reason, detail);
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
