package org.fedai.payment;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

/**
 * Ties an invoice to the job it pays for, so a proof for one job cannot be presented for another.
 * The binding description is {@code fedai:job:<job request event id, 64 lower-case hex>}; the
 * invoice carries its SHA-256 as the BOLT #11 {@code h} field (or the description itself as
 * {@code d}, which a verifier hashes the same way). Partial invoices of one job share the binding:
 * their payment hashes tell them apart.
 */
public record JobBinding(String jobEventId) {

    public static final String PREFIX = "fedai:job:";

    public JobBinding {
        if (!Hex.isLowerHex(jobEventId, 32)) {
            throw new IllegalArgumentException("job event id must be 64 lower-case hex characters");
        }
    }

    /** The description the hash commits to. */
    public String description() {
        return PREFIX + jobEventId;
    }

    /** SHA-256 of the UTF-8 description: the value of the invoice's {@code h} field. */
    public byte[] descriptionHash() {
        return Sha256.hash(description().getBytes(StandardCharsets.UTF_8));
    }

    /** True when the invoice commits to this job, by {@code h} or by a {@code d} that hashes to it. */
    public boolean boundTo(Bolt11Invoice invoice) {
        return matches(invoice.fields(), descriptionHash());
    }

    /** The first {@code h} field, else the first {@code d} field, must hash to {@code expected}. */
    static boolean matches(Iterable<TaggedField> fields, byte[] expected) {
        TaggedField.Description description = null;
        for (TaggedField f : fields) {
            if (f instanceof TaggedField.DescriptionHash h) {
                return Arrays.equals(h.hash(), expected);
            }
            if (description == null && f instanceof TaggedField.Description d) {
                description = d;
            }
        }
        return description != null
                && Arrays.equals(Sha256.hash(description.text().getBytes(StandardCharsets.UTF_8)), expected);
    }
}
