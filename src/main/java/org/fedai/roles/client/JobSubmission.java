package org.fedai.roles.client;

import java.util.Objects;
import org.fedai.domain.Msat;
import java.util.List;
import java.util.Map;
import org.fedai.domain.PaymentTiming;
import org.fedai.protocol.JobRequest;

/** What a client asks for: a model and task over some texts, at most {@code maxPrice} in all. */
public record JobSubmission(String model, String task, List<String> texts, Map<String, String> params,
        Msat maxPrice, JobRequest.Constraints constraints, PaymentTiming timing, long deliverWithinSeconds) {

    public JobSubmission {
        texts = List.copyOf(texts);
        params = Map.copyOf(params);
        Objects.requireNonNull(maxPrice, "maxPrice");
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("a job needs at least one text");
        }
        if (deliverWithinSeconds <= 0) {
            throw new IllegalArgumentException("deliverWithinSeconds must be positive");
        }
    }

    public static JobSubmission embeddings(List<String> texts, Msat maxPrice) {
        return new JobSubmission("all-minilm-l6-v2-q", "embedding", texts, Map.of(), maxPrice,
                JobRequest.Constraints.none(), PaymentTiming.BEFORE, 60);
    }

    /** The spec this submission makes when sent at {@code createdAt} (what a router would be asked to price). */
    public JobRequest.Spec specAt(long createdAt) {
        return ClientJob.specOf(this, createdAt);
    }

    /** Billing units as the client expects them: one per text. */
    public long units() {
        return texts.size();
    }
}
