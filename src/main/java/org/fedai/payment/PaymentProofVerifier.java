package org.fedai.payment;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.store.PaymentHashRegistry;
import org.fedai.store.PaymentStoreException;

/**
 * Decides whether a preimage proves that a job was paid, without any wallet: the invoice is
 * signed by the node's declared Lightning key, asks for the expected amount on the expected chain,
 * commits to the job, was still payable when the proof arrived (plus a grace for relay latency and
 * clock skew), the preimage hashes to its payment hash, and that hash was never accepted before.
 * Cheap checks run first, the signature after them, the durable once-only record last, so junk
 * costs little and only a proof that passed everything is spent. Thread-safe.
 */
public final class PaymentProofVerifier {

    private final PaymentHashRegistry registry;
    private final long graceSeconds;
    private final LongAdder verified = new LongAdder();
    private final AtomicLongArray rejected = new AtomicLongArray(ProofRejection.values().length);

    public PaymentProofVerifier(PaymentHashRegistry registry, Duration grace) {
        if (registry == null || grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("a registry and a non-negative grace are required");
        }
        this.registry = registry;
        this.graceSeconds = grace.toSeconds();
    }

    /**
     * @param invoice          the BOLT #11 invoice the client says it paid
     * @param preimage         the 32-byte preimage it presents as proof
     * @param arrivedAtSeconds unix seconds the proof arrived (the router's clock, not the client's)
     */
    public ProofResult verify(PaymentExpectation expected, String invoice, byte[] preimage, long arrivedAtSeconds) {
        if (preimage == null || preimage.length != 32) {
            return reject(ProofRejection.MALFORMED_PREIMAGE, "preimage must be 32 bytes");
        }
        Bolt11Codec.Parsed parsed;
        try {
            parsed = Bolt11Codec.parse(invoice);
        } catch (Bolt11Exception e) {
            return reject(ProofRejection.MALFORMED_INVOICE, e.getMessage());
        }
        if (parsed.network() != expected.network()) {
            return reject(ProofRejection.WRONG_NETWORK, "invoice is for " + parsed.network() + ", expected " + expected.network());
        }
        if (parsed.amountMsat().isEmpty()) {
            return reject(ProofRejection.NO_AMOUNT, "invoice names no amount");
        }
        long amount = parsed.amountMsat().getAsLong();
        if (amount != expected.amountMsat()) {
            return reject(ProofRejection.WRONG_AMOUNT, "invoice asks " + amount + " msat, expected " + expected.amountMsat());
        }
        if (!JobBinding.matches(parsed.fields(), expected.descriptionHashView())) {
            return reject(ProofRejection.WRONG_DESCRIPTION_HASH, "invoice does not commit to " + expected.context());
        }
        byte[] paymentHash = firstPaymentHash(parsed);
        if (!Arrays.equals(Sha256.hash(preimage), paymentHash)) {
            return reject(ProofRejection.PREIMAGE_MISMATCH, "sha256(preimage) is not the payment hash");
        }
        long expiresAt = saturatingAdd(parsed.timestamp(), expirySeconds(parsed));
        if (arrivedAtSeconds > saturatingAdd(expiresAt, graceSeconds)) {
            return reject(ProofRejection.EXPIRED, "invoice expired at " + expiresAt + ", proof arrived at "
                    + arrivedAtSeconds + " (grace " + graceSeconds + " s)");
        }
        ProofResult signature = checkSignature(parsed, expected.payeeView());
        if (signature != null) {
            return signature;
        }
        try {
            if (!registry.markSpent(paymentHash, arrivedAtSeconds, expected.context())) {
                return reject(ProofRejection.ALREADY_SPENT, "payment hash " + Hex.encode(paymentHash) + " was already used");
            }
        } catch (PaymentStoreException e) {
            return reject(ProofRejection.REGISTRY_UNAVAILABLE, String.valueOf(e.getMessage()));
        }
        verified.increment();
        return new ProofResult.Verified(amount, paymentHash);
    }

    /** Proofs accepted so far. */
    public long verifiedCount() {
        return verified.sum();
    }

    /** Proofs refused so far for this reason. */
    public long rejectedCount(ProofRejection reason) {
        return rejected.get(reason.ordinal());
    }

    /** Null when the invoice is validly signed by the expected node, else the rejection. */
    private ProofResult checkSignature(Bolt11Codec.Parsed parsed, byte[] expectedPayee) {
        byte[] declared = parsed.declaredPayee();
        if (declared != null && !Arrays.equals(declared, expectedPayee)) {
            return reject(ProofRejection.WRONG_PAYEE, "invoice names payee " + Hex.encode(declared));
        }
        // verifying against the known key costs no more than recovery and allocates less
        if (Bolt11Codec.signedBy(parsed, expectedPayee)) {
            return null;
        }
        if (declared != null) {
            return reject(ProofRejection.BAD_SIGNATURE, "signature is not valid for the n field's key");
        }
        try {
            byte[] actual = Bolt11Codec.recover(parsed);
            return reject(ProofRejection.WRONG_PAYEE, "invoice is signed by " + Hex.encode(actual));
        } catch (Bolt11Exception e) {
            return reject(ProofRejection.BAD_SIGNATURE, e.getMessage());
        }
    }

    private static byte[] firstPaymentHash(Bolt11Codec.Parsed parsed) {
        for (TaggedField f : parsed.fields()) {
            if (f instanceof TaggedField.PaymentHash p) {
                return p.hash();
            }
        }
        throw new IllegalStateException("parse() guarantees a payment hash");
    }

    private static long expirySeconds(Bolt11Codec.Parsed parsed) {
        for (TaggedField f : parsed.fields()) {
            if (f instanceof TaggedField.Expiry x) {
                return x.seconds();
            }
        }
        return Bolt11Invoice.DEFAULT_EXPIRY_SECONDS;
    }

    private ProofResult reject(ProofRejection reason, String detail) {
        rejected.incrementAndGet(reason.ordinal());
        return new ProofResult.Rejected(reason, detail);
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }
}
