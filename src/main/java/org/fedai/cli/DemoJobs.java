package org.fedai.cli;

import org.fedai.domain.Msat;
import java.util.List;
import java.util.Map;
import org.fedai.domain.PaymentTiming;
import org.fedai.protocol.JobRequest;
import org.fedai.roles.client.JobSubmission;

/** The jobs the demo market sends, each at most 200,000 msat, due within a minute. */
final class DemoJobs {

    private static final Msat MAX_PRICE = Msat.of(200_000);

    private DemoJobs() {
    }

    /** Job {@code i} of the demo's mix, paid before: embeddings of two or three texts, every third a chunking job. */
    static JobSubmission mix(int i) {
        if (i % 3 == 2) {
            String text = ("Relays carry every message of the market: manifests, quotes, invoices, proofs and "
                    + "results. Nodes run behind NAT because they only connect out. ").repeat(6);
            return new JobSubmission("cl100k_base", "chunk", List.of(text), Map.of("max_tokens", "48",
                    "overlap", "8"), MAX_PRICE, JobRequest.Constraints.none(), PaymentTiming.BEFORE, 60);
        }
        List<String> texts = List.of("a cat sits on the mat " + i, "a kitten rests on a rug " + i,
                "interest rates rose again in " + (2000 + i));
        return embeddings(texts.subList(0, 2 + i % 2), PaymentTiming.BEFORE);
    }

    /** Job {@code i} in one shape for every {@code i}: embeddings of two texts (a partial job: two parts). */
    static JobSubmission twoTexts(int i, PaymentTiming terms) {
        return embeddings(List.of("a cat sits on the mat " + i, "a kitten rests on a rug " + i), terms);
    }

    private static JobSubmission embeddings(List<String> texts, PaymentTiming terms) {
        return new JobSubmission("all-minilm-l6-v2-q", "embedding", texts, Map.of(), MAX_PRICE,
                JobRequest.Constraints.none(), terms, 60);
    }
}
