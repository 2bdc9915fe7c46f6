package org.fedai.protocol;

import java.util.List;

/**
 * Kind 4403 (event-kinds/4403-payment-proof.md): the client shows the router it paid, one preimage per
 * invoice (the node's, and the router's fee invoice when there is one).
 */
public record PaymentProof(String jobId, List<Paid> paid) {

    public PaymentProof {
        paid = List.copyOf(paid);
    }

    /** An invoice and the preimage whose sha256 is its payment hash. */
    public record Paid(String bolt11, String preimage) {
    }
}
