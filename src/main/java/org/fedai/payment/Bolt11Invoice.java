package org.fedai.payment;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.fedai.nostr.Hex;

/**
 * A decoded, signature-checked BOLT #11 invoice. {@code fields} keeps every tagged field in wire
 * order (skipped ones as {@link TaggedField.Unknown}); the accessors give the spec's reading of them:
 * the first valid field of a type wins and absent ones take their defaults.
 *
 * @param amountMsat empty for an "any amount" invoice
 * @param payee      33-byte compressed node id: the {@code n} field, or recovered from the signature
 * @param signature  64-byte compact ECDSA signature followed by the recovery id
 */
public record Bolt11Invoice(Bolt11Network network, OptionalLong amountMsat, long timestamp,
                            List<TaggedField> fields, byte[] payee, byte[] signature) {

    public static final long DEFAULT_EXPIRY_SECONDS = 3600;
    public static final long DEFAULT_MIN_FINAL_CLTV_EXPIRY = 18;

    public Bolt11Invoice {
        if (network == null || amountMsat == null) {
            throw new IllegalArgumentException("network and amount (possibly empty) are required");
        }
        if (timestamp < 0 || timestamp >= (1L << 35)) {
            throw new IllegalArgumentException("timestamp must fit 35 bits");
        }
        fields = List.copyOf(fields);
        if (payee == null || payee.length != 33 || signature == null || signature.length != 65) {
            throw new IllegalArgumentException("payee must be 33 bytes and signature 65");
        }
        payee = payee.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] payee() {
        return payee.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public String payeeHex() {
        return Hex.encode(payee);
    }

    /** The payment hash: present in every invoice the codec accepts. */
    public byte[] paymentHash() {
        return first(TaggedField.PaymentHash.class).map(TaggedField.PaymentHash::hash).orElseThrow();
    }

    public String paymentHashHex() {
        return Hex.encode(paymentHash());
    }

    public Optional<byte[]> paymentSecret() {
        return first(TaggedField.PaymentSecret.class).map(TaggedField.PaymentSecret::secret);
    }

    public Optional<String> description() {
        return first(TaggedField.Description.class).map(TaggedField.Description::text);
    }

    public Optional<byte[]> descriptionHash() {
        return first(TaggedField.DescriptionHash.class).map(TaggedField.DescriptionHash::hash);
    }

    public long expirySeconds() {
        return first(TaggedField.Expiry.class).map(TaggedField.Expiry::seconds).orElse(DEFAULT_EXPIRY_SECONDS);
    }

    /** Unix seconds after which the payee should refuse payment; saturates instead of overflowing. */
    public long expiresAt() {
        long sum = timestamp + expirySeconds();
        return sum < timestamp ? Long.MAX_VALUE : sum;
    }

    public long minFinalCltvExpiry() {
        return first(TaggedField.MinFinalCltvExpiry.class).map(TaggedField.MinFinalCltvExpiry::blocks)
                .orElse(DEFAULT_MIN_FINAL_CLTV_EXPIRY);
    }

    public BitSet features() {
        return first(TaggedField.Features.class).map(TaggedField.Features::bits).orElseGet(BitSet::new);
    }

    public Optional<byte[]> metadata() {
        return first(TaggedField.Metadata.class).map(TaggedField.Metadata::data);
    }

    /** Each {@code r} field is one alternative route. */
    public List<List<RouteHop>> routes() {
        List<List<RouteHop>> routes = new ArrayList<>();
        for (TaggedField f : fields) {
            if (f instanceof TaggedField.RoutingInfo r) {
                routes.add(r.hops());
            }
        }
        return routes;
    }

    /** Fallback addresses in the payee's order of preference. */
    public List<TaggedField.Fallback> fallbacks() {
        List<TaggedField.Fallback> out = new ArrayList<>();
        for (TaggedField f : fields) {
            if (f instanceof TaggedField.Fallback fb) {
                out.add(fb);
            }
        }
        return out;
    }

    /** The same invoice as its canonical lower-case string. */
    public String encode() {
        return Bolt11Codec.encode(this);
    }

    /** The invoice string: more useful in logs than the components, two of which are arrays. */
    @Override
    public String toString() {
        return encode();
    }

    private <T extends TaggedField> Optional<T> first(Class<T> type) {
        for (TaggedField f : fields) {
            if (type.isInstance(f)) {
                return Optional.of(type.cast(f));
            }
        }
        return Optional.empty();
    }
}
