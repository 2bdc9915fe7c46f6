package org.fedai.payment;

import java.util.OptionalLong;

/**
 * The checks every backend makes before it lets money move for an invoice: it decodes, is for the backend's
 * chain, and the amount to pay is settled (the invoice's own, which a caller's amount must equal, or the
 * caller's positive amount for an invoice without one). Expiry is left to each backend, whose clock differs.
 */
public record PayableInvoice(Bolt11Invoice invoice, long amountMsat) {

    /** A payable invoice, or why it is not. */
    public sealed interface Check {
    }

    public record Payable(PayableInvoice payable) implements Check {
    }

    public record Refused(PayResult.Failed failure) implements Check {
    }

    /** {@code whoPays} opens the wrong-chain refusal: "LND pays", "dev wallets pay". */
    public static Check check(String bolt11, OptionalLong amountMsat, Bolt11Network network, String whoPays) {
        Bolt11Invoice invoice;
        try {
            invoice = Bolt11Codec.decode(bolt11);
        } catch (Bolt11Exception e) {
            return refused(BackendFailure.INVALID_INVOICE, e.getMessage());
        }
        if (invoice.network() != network) {
            return refused(BackendFailure.WRONG_NETWORK, whoPays + " " + network + " invoices, not "
                    + invoice.network());
        }
        if (invoice.amountMsat().isPresent()) {
            long amount = invoice.amountMsat().getAsLong();
            if (amountMsat.isPresent() && amountMsat.getAsLong() != amount) {
                return refused(BackendFailure.BAD_AMOUNT, "invoice asks " + amount + " msat, not "
                        + amountMsat.getAsLong());
            }
            return new Payable(new PayableInvoice(invoice, amount));
        }
        if (amountMsat.isPresent() && amountMsat.getAsLong() > 0) {
            return new Payable(new PayableInvoice(invoice, amountMsat.getAsLong()));
        }
        return refused(BackendFailure.BAD_AMOUNT, "an invoice without amount needs a positive amount");
    }

    private static Refused refused(BackendFailure reason, String detail) {
        return new Refused(new PayResult.Failed(reason, detail));
    }
}
