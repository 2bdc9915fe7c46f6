package org.fedai.nostr;

/** Thrown when JSON is not a well-formed NIP-01 event or message; the message is the reason. */
public final class MalformedEventException extends Exception {

    public MalformedEventException(String reason) {
        super(reason);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
