package org.fedai.store;

import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;

/**
 * One quote as the router journaled it before sending: the node's price and Lightning key (from its manifest
 * at quoting time, so a proof can be checked after the manifest changes), the fee invoice's payment hash and
 * the deadlines. {@code quoteId} is the id of the client's copy; {@code nodeCopyId} that of the node's;
 * {@code runOnPayment}: the quote let the node run on its own wallet's settlement (4401-quote.md); {@code nodeInvoice}:
 * the node's spare invoice the quote carried ("" when the node's 4402 was to follow), the only node invoice a proof
 * for the job may then name.
 */
public record RouterQuoteRow(EventId quoteId, EventId nodeCopyId, JobId jobId, PublicKey client, PublicKey node,
        Optional<PublicKey> fallback, String nodeLightningPubkey, String nodeNetwork, Msat nodePrice, Msat fee,
        String feeInvoice, String feePaymentHash, PaymentTiming timing, long acceptBy, long deliverBy, long expiresAt,
        long createdAtMs, boolean runOnPayment, String nodeInvoice) {

    public RouterQuoteRow {
        nodeInvoice = nodeInvoice == null ? "" : nodeInvoice;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Eighteen fields are too many to pass by position: each named. */
    public static final class Builder {
        private EventId quoteId;
        private EventId nodeCopyId;
        private JobId jobId;
        private PublicKey client;
        private PublicKey node;
        private Optional<PublicKey> fallback = Optional.empty();
        private String nodeLightningPubkey;
        private String nodeNetwork;
        private Msat nodePrice = Msat.ZERO;
        private Msat fee = Msat.ZERO;
        private String feeInvoice = "";
        private String feePaymentHash = "";
        private PaymentTiming timing;
        private long acceptBy;
        private long deliverBy;
        private long expiresAt;
        private long createdAtMs;
        private boolean runOnPayment;
        private String nodeInvoice = "";

        private Builder() {
        }

        /** The ids of the client's and the node's sealed copies. */
        public Builder copies(EventId clientCopyId, EventId nodeCopy) {
            quoteId = clientCopyId;
            nodeCopyId = nodeCopy;
            return this;
        }

        public Builder job(JobId id, PublicKey clientKey, PaymentTiming jobTiming) {
            jobId = id;
            client = clientKey;
            timing = jobTiming;
            return this;
        }

        /** The node quoted, its fallback (if any), and its Lightning key and network at quoting time. */
        public Builder node(PublicKey nodeKey, Optional<PublicKey> fallbackKey, String lightningPubkey, String network) {
            node = nodeKey;
            fallback = fallbackKey;
            nodeLightningPubkey = lightningPubkey;
            nodeNetwork = network;
            return this;
        }

        /** The node's price and the router's fee, with the fee invoice and its payment hash ("" for none). */
        public Builder price(Msat nodeMsat, Msat feeMsat, String invoice, String paymentHash) {
            nodePrice = nodeMsat;
            fee = feeMsat;
            feeInvoice = invoice;
            feePaymentHash = paymentHash;
            return this;
        }

        public Builder deadlines(long accept, long deliver, long expires) {
            acceptBy = accept;
            deliverBy = deliver;
            expiresAt = expires;
            return this;
        }

        public Builder createdAtMs(long v) {
            createdAtMs = v;
            return this;
        }

        public Builder runOnPayment(boolean v) {
            runOnPayment = v;
            return this;
        }

        public Builder nodeInvoice(String v) {
            nodeInvoice = v;
            return this;
        }

        public RouterQuoteRow build() {
            return new RouterQuoteRow(quoteId, nodeCopyId, jobId, client, node, fallback, nodeLightningPubkey,
                    nodeNetwork, nodePrice, fee, feeInvoice, feePaymentHash, timing, acceptBy, deliverBy,
                    expiresAt, createdAtMs, runOnPayment, nodeInvoice);
        }
    }
}
