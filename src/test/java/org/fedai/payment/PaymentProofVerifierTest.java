package org.fedai.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Secp256k1Keys;
import org.fedai.nostr.Sha256;
import org.fedai.store.PaymentHashRegistry;
import org.fedai.store.SqlitePaymentHashRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule of the verifier, each breaking exactly that rule of an otherwise good proof. */
class PaymentProofVerifierTest {

    private static final long T0 = 1_800_000_000L;
    private static final long AMOUNT = 21_000;
    private static final JobBinding JOB = new JobBinding("a".repeat(64));
    private static final JobBinding OTHER_JOB = new JobBinding("b".repeat(64));

    @TempDir
    Path dir;

    private final byte[] nodeKey = Secp256k1Keys.generateSecretKey();
    private final byte[] otherKey = Secp256k1Keys.generateSecretKey();
    private final byte[] preimage = Secp256k1Keys.generateSecretKey();
    private PaymentHashRegistry registry;
    private PaymentProofVerifier verifier;
    private PaymentExpectation expected;

    @BeforeEach
    void open() {
        registry = SqlitePaymentHashRegistry.open(dir.resolve("spent.db"));
        verifier = new PaymentProofVerifier(registry, Duration.ofSeconds(30));
        expected = PaymentExpectation.forJob(Hex.encode(Bolt11Codec.nodeId(nodeKey)), AMOUNT, Bolt11Network.REGTEST, JOB);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    /** A good invoice, to be broken one field at a time. */
    private final class Spec {
        Bolt11Network network = Bolt11Network.REGTEST;
        OptionalLong amount = OptionalLong.of(AMOUNT);
        TaggedField description = new TaggedField.DescriptionHash(JOB.descriptionHash());
        byte[] hash = Sha256.hash(preimage);
        long expiry = 600;
        byte[] signer = nodeKey;
        byte[] declaredPayee;

        String encode() {
            List<TaggedField> fields = new ArrayList<>(List.of(new TaggedField.PaymentHash(hash),
                    new TaggedField.PaymentSecret(new byte[32]), description, new TaggedField.Expiry(expiry)));
            if (declaredPayee != null) {
                fields.add(new TaggedField.PayeeNodeId(declaredPayee));
            }
            return Bolt11Codec.sign(network, amount, T0, fields, signer).encode();
        }
    }

    private ProofResult verify(String invoice) {
        return verifier.verify(expected, invoice, preimage, T0 + 10);
    }

    private static void assertRejected(ProofResult result, ProofRejection reason) {
        assertThat(result).isInstanceOfSatisfying(ProofResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.detail()).isNotBlank();
        });
    }

    @Test
    void aGoodProofIsVerifiedWithAmountAndHash() {
        ProofResult result = verify(new Spec().encode());

        assertThat(result).isInstanceOfSatisfying(ProofResult.Verified.class, v -> {
            assertThat(v.amountMsat()).isEqualTo(AMOUNT);
            assertThat(v.paymentHash()).isEqualTo(Sha256.hash(preimage));
        });
        assertThat(verifier.verifiedCount()).isEqualTo(1);
        assertThat(registry.isSpent(Sha256.hash(preimage))).isTrue();
    }

    @Test
    void aPreimageOfTheWrongSizeIsMalformed() {
        assertRejected(verifier.verify(expected, new Spec().encode(), new byte[31], T0), ProofRejection.MALFORMED_PREIMAGE);
        assertRejected(verifier.verify(expected, new Spec().encode(), null, T0), ProofRejection.MALFORMED_PREIMAGE);
    }

    @Test
    void anUndecodableInvoiceIsMalformedAndCounted() {
        assertRejected(verify("lnbcrt1garbage"), ProofRejection.MALFORMED_INVOICE);
        assertRejected(verify(null), ProofRejection.MALFORMED_INVOICE);
        assertThat(verifier.rejectedCount(ProofRejection.MALFORMED_INVOICE)).isEqualTo(2);
    }

    @Test
    void anInvoiceForAnotherChainIsRefused() {
        Spec spec = new Spec();
        spec.network = Bolt11Network.BITCOIN;
        assertRejected(verify(spec.encode()), ProofRejection.WRONG_NETWORK);
    }

    @Test
    void anInvoiceWithoutAmountIsRefused() {
        Spec spec = new Spec();
        spec.amount = OptionalLong.empty();
        assertRejected(verify(spec.encode()), ProofRejection.NO_AMOUNT);
    }

    @Test
    void anotherAmountIsRefusedEvenIfLarger() {
        Spec spec = new Spec();
        spec.amount = OptionalLong.of(AMOUNT - 1);
        assertRejected(verify(spec.encode()), ProofRejection.WRONG_AMOUNT);
        spec.amount = OptionalLong.of(AMOUNT + 1);
        assertRejected(verify(spec.encode()), ProofRejection.WRONG_AMOUNT);
    }

    @Test
    void anInvoiceForAnotherJobIsRefused() {
        Spec spec = new Spec();
        spec.description = new TaggedField.DescriptionHash(OTHER_JOB.descriptionHash());
        assertRejected(verify(spec.encode()), ProofRejection.WRONG_DESCRIPTION_HASH);
        spec.description = new TaggedField.Description("coffee");
        assertRejected(verify(spec.encode()), ProofRejection.WRONG_DESCRIPTION_HASH);
    }

    @Test
    void theBindingMayAlsoTravelAsThePlainDescription() {
        Spec spec = new Spec();
        spec.description = new TaggedField.Description(JOB.description());
        assertThat(verify(spec.encode())).isInstanceOf(ProofResult.Verified.class);
        assertThat(JOB.descriptionHash()).isEqualTo(Sha256.hash(("fedai:job:" + "a".repeat(64)).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPreimageOfAnotherHashIsRefused() {
        Spec spec = new Spec();
        spec.hash = Sha256.hash(new byte[32]);
        assertRejected(verify(spec.encode()), ProofRejection.PREIMAGE_MISMATCH);
    }

    @Test
    void aProofArrivingAfterExpiryPlusGraceIsRefused() {
        String invoice = new Spec().encode(); // expires at T0 + 600, grace 30
        assertRejected(verifier.verify(expected, invoice, preimage, T0 + 631), ProofRejection.EXPIRED);
        assertThat(verifier.verify(expected, invoice, preimage, T0 + 630)).isInstanceOf(ProofResult.Verified.class);
    }

    @Test
    void anInvoiceSignedByAnotherNodeIsRefused() {
        Spec spec = new Spec();
        spec.signer = otherKey;
        assertRejected(verify(spec.encode()), ProofRejection.WRONG_PAYEE);
    }

    @Test
    void anInvoiceNamingAnotherPayeeIsRefused() {
        Spec spec = new Spec();
        spec.signer = otherKey;
        spec.declaredPayee = Bolt11Codec.nodeId(otherKey);
        assertRejected(verify(spec.encode()), ProofRejection.WRONG_PAYEE);
    }

    @Test
    void aSignatureThatDoesNotMatchTheNamedPayeeIsRefused() {
        // n names the expected node, but the signature is another key's: splice the signature in
        Spec honest = new Spec();
        honest.declaredPayee = Bolt11Codec.nodeId(nodeKey);
        Bolt11Invoice good = Bolt11Codec.decode(honest.encode());
        Spec forged = new Spec();
        forged.signer = otherKey;
        Bolt11Invoice byOther = Bolt11Codec.decode(forged.encode());
        Bolt11Invoice spliced = new Bolt11Invoice(good.network(), good.amountMsat(), good.timestamp(), good.fields(),
                good.payee(), byOther.signature());
        assertRejected(verify(spliced.encode()), ProofRejection.BAD_SIGNATURE);
    }

    @Test
    void anUnrecoverableSignatureIsRefused() {
        Bolt11Invoice good = Bolt11Codec.decode(new Spec().encode());
        byte[] sig = good.signature();
        java.util.Arrays.fill(sig, 0, 32, (byte) 0xFF); // r >= the curve order: no point to recover
        Bolt11Invoice broken = new Bolt11Invoice(good.network(), good.amountMsat(), good.timestamp(), good.fields(),
                good.payee(), sig);
        assertRejected(verify(broken.encode()), ProofRejection.BAD_SIGNATURE);
    }

    @Test
    void theSamePreimageIsAcceptedOnlyOnceEvenAfterARestart() {
        String invoice = new Spec().encode();
        assertThat(verify(invoice)).isInstanceOf(ProofResult.Verified.class);
        assertRejected(verify(invoice), ProofRejection.ALREADY_SPENT);

        registry.close();
        registry = SqlitePaymentHashRegistry.open(dir.resolve("spent.db"));
        PaymentProofVerifier restarted = new PaymentProofVerifier(registry, Duration.ofSeconds(30));
        assertRejected(restarted.verify(expected, invoice, preimage, T0 + 20), ProofRejection.ALREADY_SPENT);
    }

    @Test
    void concurrentCopiesOfOneProofAreAcceptedExactlyOnce() throws Exception {
        String invoice = new Spec().encode();
        int threads = 8;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<ProofResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return verify(invoice);
                }));
            }
            start.countDown();
            int verified = 0;
            for (var f : results) {
                ProofResult r = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                if (r instanceof ProofResult.Verified) {
                    verified++;
                } else {
                    assertRejected(r, ProofRejection.ALREADY_SPENT);
                }
            }
            assertThat(verified).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRejectedProofDoesNotSpendItsHash() {
        String invoice = new Spec().encode();
        PaymentExpectation wrongPrice = PaymentExpectation.forJob(Hex.encode(Bolt11Codec.nodeId(nodeKey)), AMOUNT * 2,
                Bolt11Network.REGTEST, JOB);
        assertRejected(verifier.verify(wrongPrice, invoice, preimage, T0), ProofRejection.WRONG_AMOUNT);
        assertThat(verify(invoice)).isInstanceOf(ProofResult.Verified.class);
    }

    @Test
    void aProofIsRefusedWhenTheRegistryCannotRecordIt() {
        registry.close();
        assertRejected(verify(new Spec().encode()), ProofRejection.REGISTRY_UNAVAILABLE);
        registry = SqlitePaymentHashRegistry.inMemory();
    }
}
