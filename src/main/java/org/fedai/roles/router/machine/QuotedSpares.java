package org.fedai.roles.router.machine;

/**
 * Invoices made before the job that its first quote may carry (4402-invoice.md, "Spare invoices"): the chosen node's
 * at its price, and the router's own at its fee with that invoice's payment hash; "" where none was held. Taken for
 * the job by the shell before the machine sees the spec, so that no two quotes carry one.
 */
public record QuotedSpares(String nodeInvoice, String feeInvoice, String feePaymentHash) {

    public static final QuotedSpares NONE = new QuotedSpares("", "", "");

    public QuotedSpares {
        nodeInvoice = nodeInvoice == null ? "" : nodeInvoice;
        feeInvoice = feeInvoice == null ? "" : feeInvoice;
        feePaymentHash = feePaymentHash == null ? "" : feePaymentHash;
    }

    public boolean hasFee() {
        return !feeInvoice.isEmpty();
    }
}
