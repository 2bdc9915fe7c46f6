package org.fedai.payment.nwc;

import java.util.Optional;

/**
 * A NWC call that did not produce a result: either the wallet answered with a NIP-47 error
 * ({@link #walletCode()}), or the call failed locally ({@link #local()}: timeout, publish failure,
 * unreadable response, client closed). {@link #code()} names either one.
 */
public final class NwcException extends RuntimeException {

    /** Failures that happen on the client's side of the wire. */
    public enum Local {
        TIMEOUT, PUBLISH_FAILED, MALFORMED_RESPONSE, CLOSED
    }

    private final NwcErrorCode walletCode;
    private final Local local;

    private NwcException(NwcErrorCode walletCode, Local local, String message, Throwable cause) {
        super(message, cause);
        this.walletCode = walletCode;
        this.local = local;
    }

    /** The wallet's error (also how a {@link WalletBackend} reports a refusal). */
    public static NwcException wallet(NwcErrorCode code, String message) {
        return new NwcException(code, null, code.name() + ": " + message, null);
    }

    public static NwcException local(Local kind, String message) {
        return new NwcException(null, kind, kind.name() + ": " + message, null);
    }

    public static NwcException local(Local kind, String message, Throwable cause) {
        return new NwcException(null, kind, kind.name() + ": " + message, cause);
    }

    /** The NIP-47 code, or the local failure's name. */
    public String code() {
        return walletCode != null ? walletCode.name() : local.name();
    }

    public Optional<NwcErrorCode> walletCode() {
        return Optional.ofNullable(walletCode);
    }

    public Optional<Local> local() {
        return Optional.ofNullable(local);
    }

    /** The message without the code prefix. */
    public String detail() {
        return getMessage().substring(code().length() + 2);
    }
}
