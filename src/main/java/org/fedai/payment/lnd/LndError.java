package org.fedai.payment.lnd;

import io.grpc.Status;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.fedai.payment.BackendFailure;

/**
 * A failed LND call as a {@link BackendFailure} with a sentence an operator can act on. LND reports most
 * refusals as gRPC status UNKNOWN with its Go error text, so the documented texts of lnd's invoice
 * registry and payment control tower are matched here; transport failures (refused connection, untrusted
 * certificate, refused macaroon) are recognised first because they mean LND never acted on the call.
 *
 * @param acted whether LND may have carried the call out: decides whether a failed pay must be looked up
 */
record LndError(BackendFailure reason, String detail, Acted acted) {

    enum Acted {
        /** The call never reached LND's logic (no connection, TLS or macaroon refused). */
        NO,
        /** LND answered with a definite refusal. */
        REFUSED,
        /** The answer was lost (deadline, dropped connection): the call may have taken effect. */
        UNKNOWN
    }

    static LndError of(Throwable failure, String address) {
        Status status = Status.fromThrowable(failure);
        String text = status.getDescription() == null ? "" : status.getDescription();
        String lower = text.toLowerCase(Locale.ROOT);
        Throwable tls = causeOf(failure, SSLException.class, CertificateException.class);
        if (tls != null) {
            return new LndError(BackendFailure.BACKEND_ERROR, "TLS handshake with LND at " + address + " failed ("
                    + tls.getMessage() + "): is the certificate LND's tls.cert for this host?", Acted.NO);
        }
        if (causeOf(failure, ConnectException.class) != null) {
            return new LndError(BackendFailure.BACKEND_ERROR, "LND unreachable at " + address + ": "
                    + causeOf(failure, ConnectException.class).getMessage(), Acted.NO);
        }
        if (status.getCode() == Status.Code.UNAUTHENTICATED || status.getCode() == Status.Code.PERMISSION_DENIED
                || lower.contains("macaroon") || lower.contains("verification failed")
                || lower.contains("permission denied")) {
            return new LndError(BackendFailure.BACKEND_ERROR, "LND refused the macaroon (" + text
                    + "): is it this node's, with invoice and offchain permissions?", Acted.NO);
        }
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> new LndError(BackendFailure.BACKEND_ERROR, "LND at " + address
                    + " did not answer in time: " + text, Acted.UNKNOWN);
            case UNAVAILABLE, CANCELLED, ABORTED, INTERNAL -> new LndError(BackendFailure.BACKEND_ERROR,
                    "connection to LND at " + address + " failed: " + status.getCode() + " " + text, Acted.UNKNOWN);
            default -> refusal(status.getCode(), text, lower);
        };
    }

    private static LndError refusal(Status.Code code, String text, String lower) {
        BackendFailure reason;
        if (code == Status.Code.NOT_FOUND || lower.contains("unable to locate invoice")
                || lower.contains("isn't initiated") || lower.contains("not found")) {
            reason = BackendFailure.UNKNOWN_INVOICE;
        } else if (lower.contains("already exists")) {
            reason = BackendFailure.DUPLICATE_PAYMENT_HASH;
        } else if (lower.contains("already paid") || lower.contains("already succeeded")) {
            reason = BackendFailure.ALREADY_PAID;
        } else if (lower.contains("still open")) {
            reason = BackendFailure.NOT_HELD;
        } else if (lower.contains("already settled") || lower.contains("already canceled")) {
            reason = BackendFailure.ALREADY_FINAL;
        } else if (lower.contains("expired")) {
            reason = BackendFailure.EXPIRED;
        } else if (lower.contains("self-payment")) {
            reason = BackendFailure.SELF_PAYMENT;
        } else if (lower.contains("insufficient")) {
            reason = BackendFailure.INSUFFICIENT_BALANCE;
        } else if (code == Status.Code.INVALID_ARGUMENT || lower.contains("invalid") || lower.contains("amount")) {
            reason = BackendFailure.INVALID_REQUEST;
        } else {
            reason = BackendFailure.BACKEND_ERROR;
        }
        return new LndError(reason, "LND: " + (text.isEmpty() ? code.toString() : text), Acted.REFUSED);
    }

    /** The first cause of one of the given types, or null. */
    private static Throwable causeOf(Throwable t, Class<?>... types) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (Class<?> type : types) {
                if (type.isInstance(c)) {
                    return c;
                }
            }
        }
        return null;
    }
}
