package org.fedai.protocol;

/**
 * Kind 4401 (event-kinds/4401-quote.md): the router's choice for a job, sent sealed to the client and to
 * the chosen node. {@code fallback} is "" when the router has none; {@code routerFeeInvoice} is "" when
 * the fee is zero.
 */
public record Quote(String jobId, String client, String node, String fallback, String model, String task,
        String inputSha256, long units, long nodePriceMsat, long routerFeeMsat, String routerFeeInvoice,
        PaymentTiming timing, long acceptBy, long deliverBy, long expiresAt) {

    public Quote {
        fallback = fallback == null ? "" : fallback;
        routerFeeInvoice = routerFeeInvoice == null ? "" : routerFeeInvoice;
    }

    public long totalMsat() {
        return nodePriceMsat + routerFeeMsat;
    }
}
