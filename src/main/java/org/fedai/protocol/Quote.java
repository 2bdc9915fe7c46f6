package org.fedai.protocol;

import org.fedai.domain.PaymentTiming;

/**
 * Kind 4401 (event-kinds/4401-quote.md): the router's choice for a job, sent sealed to the client and to
 * the chosen node. {@code fallback} is "" when the router has none; {@code routerFeeInvoice} is "" when
 * the fee is zero. {@code runOnPayment}: the router lets the node run a {@code before} job as soon as its own wallet
 * shows the invoice settled, the work order confirming it (the client pays the node first, the fee after): given for
 * a fee of zero, or when the client's credit with the router covers the fee (event-kinds/4401-quote.md).
 * {@code nodeInvoice}: the node's invoice for this job when the router held a spare one the node made ahead for it
 * ("" otherwise: the node's 4402 follows), so that a client that said it pays quoted invoices pays at once.
 * {@code earlyInput} (the node's copy; null for none): the input the client sent with its spec, sealed for this node.
 */
public record Quote(String jobId, String client, String node, String fallback, String model, String task,
        String inputSha256, long units, long nodePriceMsat, long routerFeeMsat, String routerFeeInvoice,
        PaymentTiming timing, long acceptBy, long deliverBy, long expiresAt, boolean runOnPayment, String nodeInvoice,
        EarlyInput.Forwarded earlyInput) {

    public Quote {
        fallback = fallback == null ? "" : fallback;
        routerFeeInvoice = routerFeeInvoice == null ? "" : routerFeeInvoice;
        nodeInvoice = nodeInvoice == null ? "" : nodeInvoice;
    }

    public long totalMsat() {
        return nodePriceMsat + routerFeeMsat;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this quote's fields, to vary one or two. */
    public Builder toBuilder() {
        return builder().jobId(jobId).parties(client, node).fallback(fallback).work(model, task, inputSha256, units)
                .price(nodePriceMsat, routerFeeMsat, routerFeeInvoice).timing(timing)
                .deadlines(acceptBy, deliverBy, expiresAt).runOnPayment(runOnPayment).nodeInvoice(nodeInvoice)
                .earlyInput(earlyInput);
    }

    /** Sixteen fields are too many to pass by position: each named, the strings "" and the numbers 0 until set. */
    public static final class Builder {
        private String jobId = "";
        private String client = "";
        private String node = "";
        private String fallback = "";
        private String model = "";
        private String task = "";
        private String inputSha256 = "";
        private long units;
        private long nodePriceMsat;
        private long routerFeeMsat;
        private String routerFeeInvoice = "";
        private PaymentTiming timing = PaymentTiming.BEFORE;
        private long acceptBy;
        private long deliverBy;
        private long expiresAt;
        private boolean runOnPayment;
        private String nodeInvoice = "";
        private EarlyInput.Forwarded earlyInput;

        private Builder() {
        }

        public Builder jobId(String v) {
            jobId = v;
            return this;
        }

        /** The job's client, and the node it is quoted to. */
        public Builder parties(String clientKey, String nodeKey) {
            client = clientKey;
            node = nodeKey;
            return this;
        }

        public Builder fallback(String v) {
            fallback = v;
            return this;
        }

        /** What is to be run: the model, the task and the input's commitment. */
        public Builder work(String modelName, String taskName, String inputCommitment, long unitCount) {
            model = modelName;
            task = taskName;
            inputSha256 = inputCommitment;
            units = unitCount;
            return this;
        }

        /** The node's price and the router's fee with its invoice ("" when the fee is zero). */
        public Builder price(long nodeMsat, long feeMsat, String feeInvoice) {
            nodePriceMsat = nodeMsat;
            routerFeeMsat = feeMsat;
            routerFeeInvoice = feeInvoice;
            return this;
        }

        public Builder timing(PaymentTiming v) {
            timing = v;
            return this;
        }

        /** The node must accept by, deliver by; the quote expires at (unix seconds). */
        public Builder deadlines(long accept, long deliver, long expires) {
            acceptBy = accept;
            deliverBy = deliver;
            expiresAt = expires;
            return this;
        }

        public Builder runOnPayment(boolean v) {
            runOnPayment = v;
            return this;
        }

        /** The node's spare invoice the quote carries ("" for none). */
        public Builder nodeInvoice(String v) {
            nodeInvoice = v;
            return this;
        }

        /** The input sent with the spec, as the node's copy forwards it (null for none). */
        public Builder earlyInput(EarlyInput.Forwarded v) {
            earlyInput = v;
            return this;
        }

        public Quote build() {
            return new Quote(jobId, client, node, fallback, model, task, inputSha256, units, nodePriceMsat,
                    routerFeeMsat, routerFeeInvoice, timing, acceptBy, deliverBy, expiresAt, runOnPayment,
                    nodeInvoice, earlyInput);
        }
    }
}
