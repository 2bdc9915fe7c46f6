package org.fedai.protocol;

/**
 * Kind 4402 with {@code "spare": true} (event-kinds/4402-invoice.md, "Spare invoices"): an invoice the node made
 * before its job exists, sealed to a router, for that router to put in a later quote at this price, so that a client
 * pays in the hop after the quote instead of waiting for the node's invoice. {@code madeOnJob}: the job whose quote
 * led the node to make it (the event's {@code e} tag), not the job it will pay for. {@code hold}: a hold invoice for a
 * preimage the node keeps, for {@code hold} and {@code atomic} jobs (a plain one serves {@code before}, {@code after}
 * and {@code external}).
 */
public record SpareInvoice(String madeOnJob, String bolt11, long amountMsat, long expiresAt, boolean hold) {
}
