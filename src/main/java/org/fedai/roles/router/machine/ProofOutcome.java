package org.fedai.roles.router.machine;

import java.util.List;

/**
 * What checking a 4403 proof found: {@code refusal} is empty when every entry verified, {@code complete} when the
 * node's price (and the fee, if any) are now covered, {@code paymentHashes} every hash verified for the job (by
 * this proof or an earlier one, refused or not: a refused proof's earlier entries stay verified).
 */
public record ProofOutcome(String refusal, boolean complete, List<String> paymentHashes) {

    public ProofOutcome {
        paymentHashes = List.copyOf(paymentHashes);
    }

    public static ProofOutcome refused(String reason) {
        return new ProofOutcome(reason, false, List.of());
    }

    public boolean refused() {
        return !refusal.isEmpty();
    }
}
