package org.fedai.nostr;

/**
 * A NIP-44 payload or key that cannot be used, with the machine-readable {@link Reason}.
 * Unchecked so that pure codecs can pass it through; callers that handle untrusted payloads
 * catch it (it is an {@link IllegalArgumentException}) and count the reason.
 */
public final class Nip44Exception extends IllegalArgumentException {

    /** Why a key, plaintext or payload was refused. */
    public enum Reason {
        INVALID_SECRET_KEY("secret key must be 32 bytes and in range 1..n-1"),
        INVALID_PUBLIC_KEY("peer public key is not 64 hex characters of a valid x-only curve point"),
        INVALID_CONVERSATION_KEY("conversation key must be 32 bytes"),
        INVALID_NONCE("nonce must be 32 bytes"),
        MESSAGE_EMPTY("plaintext is empty (NIP-44 needs 1..65535 bytes)"),
        MESSAGE_TOO_LONG("plaintext is longer than 65535 bytes"),
        UNKNOWN_VERSION("unknown encryption version"),
        INVALID_PAYLOAD_SIZE("payload length is outside 132..87472 characters"),
        INVALID_BASE64("payload is not valid base64"),
        INVALID_DATA_SIZE("decoded payload length is outside 99..65603 bytes"),
        INVALID_MAC("MAC does not match: wrong key or tampered payload"),
        INVALID_PADDING("padding or length prefix is invalid"),
        INVALID_UTF8("plaintext is not valid UTF-8");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Reason reason;

    public Nip44Exception(Reason reason) {
        this(reason, reason.description(), null);
    }

    public Nip44Exception(Reason reason, String detail) {
        this(reason, detail, null);
    }

    public Nip44Exception(Reason reason, String detail, Throwable cause) {
        super("nip44: " + detail, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
