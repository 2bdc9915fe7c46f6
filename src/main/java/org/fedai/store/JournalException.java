package org.fedai.store;

/** A journal could not be read or written: the role must not act as if the transition happened. */
public final class JournalException extends RuntimeException {

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
