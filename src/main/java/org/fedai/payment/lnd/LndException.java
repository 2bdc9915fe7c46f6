package org.fedai.payment.lnd;

/** LND could not be set up (files unreadable, node unreachable at connect): thrown to the CLI, never to a role. */
public final class LndException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LndException(String message) {
        super(message);
    }

    public LndException(String message, Throwable cause) {
        super(message, cause);
    }
}
