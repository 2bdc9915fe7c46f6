package org.fedai.payment;

import java.nio.charset.StandardCharsets;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

/**
 * What an invoice made before its job exists commits to: the router whose quotes may carry it. Its description is
 * {@code fedai:spare:<router pubkey, 64 lower-case hex>}, and its SHA-256 is the BOLT #11 {@code h} field. A node
 * makes such spares for a router (4402 with {@code spare}), the router makes its own for its fee; the job is bound to
 * the invoice by the router's signed quote naming it, and the once-only registry keeps one invoice to one job.
 */
public record SpareBinding(String routerPubkey) {

    public static final String PREFIX = "fedai:spare:";

    public SpareBinding {
        if (!Hex.isLowerHex(routerPubkey, 32)) {
            throw new IllegalArgumentException("router pubkey must be 64 lower-case hex characters");
        }
    }

    public String description() {
        return PREFIX + routerPubkey;
    }

    public byte[] descriptionHash() {
        return Sha256.hash(description().getBytes(StandardCharsets.UTF_8));
    }

    /** True when the invoice commits to this router's spares, by {@code h} or by a {@code d} that hashes to it. */
    public boolean boundTo(Bolt11Invoice invoice) {
        return JobBinding.matches(invoice.fields(), descriptionHash());
    }
}
