package org.fedai.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.domain.WorkAuthorization;

/**
 * One job as a market node's {@link NodeJobJournal} holds it. Plain values only: the store knows nothing of
 * events or codecs. Times are unix seconds.
 */
public record NodeJob(JobId jobId, NodeJobState state, Terms terms, Optional<InvoiceRef> invoice,
        Optional<Input> input, Optional<Order> order, Optional<Outcome> outcome, long createdAt, long updatedAt) {

    /** What the router's quote fixed; {@code runOnPayment}: the quote's {@code run_on_payment} (4401-quote.md). */
    public record Terms(EventId quoteEventId, PublicKey router, PublicKey client, String model, String task,
            String inputSha256, long units, Msat price, PaymentTiming timing, long acceptBy, long deliverBy,
            long quoteExpiresAt, boolean runOnPayment) {
    }

    /** The node's own invoice for the job; {@code paymentHash} is 64 hex. */
    public record InvoiceRef(String bolt11, String paymentHash, long expiresAt) {
    }

    /** The client's input, checked against {@code Terms.inputSha256} before it was kept. */
    public record Input(EventId eventId, List<String> texts, Map<String, String> params) {
        public Input {
            texts = List.copyOf(texts);
            params = Map.copyOf(params);
        }
    }

    /** The router's work order. */
    public record Order(EventId eventId, WorkAuthorization authorization, List<String> paymentHashes, long deliverBy) {
        public Order {
            paymentHashes = List.copyOf(paymentHashes);
        }
    }

    /**
     * How the run went: {@code startedAt} once RUNNING, the rest once DONE or FAILED ({@code error} empty
     * on success).
     */
    public record Outcome(long startedAt, long finishedAt, String outputSha256, long units, String unit,
            String error) {
    }
}
