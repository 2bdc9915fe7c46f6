package org.fedai.protocol;

/** Raised inside a codec when a field is wrong; the codec turns it into a {@link Rejection}. */
final class InvalidContentException extends Exception {

    private final Rejection.Reason reason;

    InvalidContentException(Rejection.Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    Rejection.Reason reason() {
        return reason;
    }
}
