package org.fedai.payment.nwc;

/**
 * A NIP-47 event or payload that cannot be used, with a machine-readable {@link Reason}. When the
 * method of a request was readable before the failure it is kept, so that a wallet service can still
 * answer with the right {@code result_type}.
 */
public final class Nip47Exception extends IllegalArgumentException {

    /** Why an event or payload was refused. */
    public enum Reason {
        WRONG_KIND, MISSING_TAG, MALFORMED_TAG, UNSUPPORTED_ENCRYPTION, UNDECRYPTABLE, MALFORMED_JSON,
        UNKNOWN_METHOD, MISSING_FIELD, MALFORMED_FIELD, INCONSISTENT;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;
    private final String method;

    public Nip47Exception(Reason reason, String detail) {
        this(reason, detail, null);
    }

    public Nip47Exception(Reason reason, String detail, String method) {
        super(reason.code() + ": " + detail);
        this.reason = reason;
        this.method = method;
    }

    public Reason reason() {
        return reason;
    }

    /** The request's method name when it was read before the failure, else null. */
    public String method() {
        return method;
    }

    Nip47Exception withMethod(String name) {
        return new Nip47Exception(reason, getMessage().substring(reason.code().length() + 2), name);
    }
}
