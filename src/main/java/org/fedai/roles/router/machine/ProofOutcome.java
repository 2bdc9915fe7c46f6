package org.fedai.roles.router.machine;

import java.util.List;

/**
 * What checking a 4403 proof found. {@code paymentHashes}: every hash verified for the job (by this proof or an
 * earlier one, refused or not: a refused proof's earlier entries stay verified).
 */
public sealed interface ProofOutcome {

    List<String> paymentHashes();

    /** Every entry verified; {@code complete} when the node's price (and the fee, if any) are now covered. */
    record Verified(boolean complete, List<String> paymentHashes) implements ProofOutcome {
        public Verified {
            paymentHashes = List.copyOf(paymentHashes);
        }
    }

    /** An entry did not verify, for {@code reason} (the refusal's code). */
    record Refused(String reason, List<String> paymentHashes) implements ProofOutcome {
        public Refused {
            paymentHashes = List.copyOf(paymentHashes);
        }
    }

    static Refused refused(String reason) {
        return new Refused(reason, List.of());
    }
}
