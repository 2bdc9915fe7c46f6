package org.fedai.protocol;

import java.util.Set;
import org.fedai.domain.PaymentTiming;

/**
 * How a node or router gets paid. {@code lightningPubkey} is the 33-byte compressed key (hex) that signs
 * its BOLT11 invoices; a payment proof is only valid for an invoice signed by this key.
 */
public record PaymentTerms(Set<PaymentTiming> timing, String lightningPubkey, String network) {
    public PaymentTerms {
        timing = Set.copyOf(timing);
    }
}
