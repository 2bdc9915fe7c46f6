package org.fedai.store;

/** The node job journal failed (disk, corruption, locking): not a caller's mistake, so unchecked. */
public final class NodeJournalException extends RuntimeException {

    public NodeJournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
