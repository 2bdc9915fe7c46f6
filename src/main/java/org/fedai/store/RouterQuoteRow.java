package org.fedai.store;

import org.fedai.domain.PaymentTiming;

/**
 * One quote as the router journaled it before sending: the node's price and Lightning key (from its manifest
 * at quoting time, so a proof can be checked after the manifest changes), the fee invoice's payment hash and
 * the deadlines. {@code quoteId} is the id of the client's copy; {@code nodeCopyId} that of the node's.
 */
public record RouterQuoteRow(String quoteId, String nodeCopyId, String jobId, String client, String node,
        String fallback, String nodeLightningPubkey, String nodeNetwork, long nodePriceMsat, long feeMsat,
        String feeInvoice, String feePaymentHash, PaymentTiming timing, long acceptBy, long deliverBy, long expiresAt,
        long createdAtMs) {

    public static Builder builder() {
        return new Builder();
    }

    /** Seventeen fields are too many to pass by position: each named. */
    public static final class Builder {
        private String quoteId;
        private String nodeCopyId;
        private String jobId;
        private String client;
        private String node;
        private String fallback = "";
        private String nodeLightningPubkey;
        private String nodeNetwork;
        private long nodePriceMsat;
        private long feeMsat;
        private String feeInvoice = "";
        private String feePaymentHash = "";
        private PaymentTiming timing;
        private long acceptBy;
        private long deliverBy;
        private long expiresAt;
        private long createdAtMs;

        private Builder() {
        }

        /** The ids of the client's and the node's sealed copies. */
        public Builder copies(String clientCopyId, String nodeCopy) {
            quoteId = clientCopyId;
            nodeCopyId = nodeCopy;
            return this;
        }

        public Builder job(String id, String clientKey, PaymentTiming jobTiming) {
            jobId = id;
            client = clientKey;
            timing = jobTiming;
            return this;
        }

        /** The node quoted, its fallback ("" for none), and its Lightning key and network at quoting time. */
        public Builder node(String nodeKey, String fallbackKey, String lightningPubkey, String network) {
            node = nodeKey;
            fallback = fallbackKey;
            nodeLightningPubkey = lightningPubkey;
            nodeNetwork = network;
            return this;
        }

        /** The node's price and the router's fee, with the fee invoice and its payment hash ("" for none). */
        public Builder price(long nodeMsat, long fee, String invoice, String paymentHash) {
            nodePriceMsat = nodeMsat;
            feeMsat = fee;
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

        public RouterQuoteRow build() {
            return new RouterQuoteRow(quoteId, nodeCopyId, jobId, client, node, fallback, nodeLightningPubkey,
                    nodeNetwork, nodePriceMsat, feeMsat, feeInvoice, feePaymentHash, timing, acceptBy, deliverBy,
                    expiresAt, createdAtMs);
        }
    }
}
