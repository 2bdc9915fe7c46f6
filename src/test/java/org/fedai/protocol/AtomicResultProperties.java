package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.ProtocolFixtures.CLIENT;
import static org.fedai.protocol.ProtocolFixtures.NODE;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.open;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

/** Atomic pay-for-result: only the preimage of the committed hash opens the result, for that job only. */
class AtomicResultProperties {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Provide
    Arbitrary<byte[]> secrets() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }

    @Provide
    Arbitrary<String> jobIds() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
    }

    @Property(tries = 200)
    void theCommittedPreimageOpensExactlyThePlaintext(@ForAll String output, @ForAll("secrets") byte[] preimage,
            @ForAll("jobIds") String job) {
        AtomicResult.Locked locked = AtomicResult.lock(output, preimage, job, RANDOM);
        assertThat(locked.lock().paymentHash()).isEqualTo(Hex.encode(Sha256.hash(preimage)));
        assertThat(AtomicResult.open(locked.ciphertext(), locked.lock(), job, preimage, JobResult.sha256(output)))
                .isEqualTo(new AtomicResult.Opened.Output(output));
    }

    @Property(tries = 100)
    void anotherPreimageIsRefusedBeforeDecrypting(@ForAll String output, @ForAll("secrets") byte[] preimage,
            @ForAll("secrets") byte[] other, @ForAll("jobIds") String job) {
        net.jqwik.api.Assume.that(!java.util.Arrays.equals(preimage, other));
        AtomicResult.Locked locked = AtomicResult.lock(output, preimage, job, RANDOM);
        assertThat(failure(AtomicResult.open(locked.ciphertext(), locked.lock(), job, other,
                JobResult.sha256(output)))).isEqualTo(AtomicResult.Failure.PREIMAGE_MISMATCH);
    }

    @Property(tries = 100)
    void aLockNamingAHashItWasNotLockedUnderDoesNotOpen(@ForAll String output, @ForAll("secrets") byte[] used,
            @ForAll("secrets") byte[] promised, @ForAll("jobIds") String job) {
        net.jqwik.api.Assume.that(!java.util.Arrays.equals(used, promised));
        // a dishonest node encrypts under one preimage but invoices (and commits to) another
        AtomicResult.Locked locked = AtomicResult.lock(output, used, job, RANDOM);
        ResultLock lying = new ResultLock(locked.lock().cipher(), Hex.encode(Sha256.hash(promised)),
                locked.lock().nonce());
        assertThat(failure(AtomicResult.open(locked.ciphertext(), lying, job, promised, JobResult.sha256(output))))
                .isEqualTo(AtomicResult.Failure.RESULT_NOT_OPENED);
    }

    @Property(tries = 100)
    void anyFlippedCiphertextBitOrAnotherJobDoesNotOpen(@ForAll String output, @ForAll("secrets") byte[] preimage,
            @ForAll("jobIds") String job, @ForAll("jobIds") String otherJob, @ForAll int position) {
        AtomicResult.Locked locked = AtomicResult.lock(output, preimage, job, RANDOM);
        byte[] sealed = Base64.getDecoder().decode(locked.ciphertext());
        sealed[Math.floorMod(position, sealed.length)] ^= 1;
        assertThat(failure(AtomicResult.open(Base64.getEncoder().encodeToString(sealed), locked.lock(), job, preimage,
                JobResult.sha256(output)))).isEqualTo(AtomicResult.Failure.RESULT_NOT_OPENED);
        net.jqwik.api.Assume.that(!job.equals(otherJob));
        assertThat(failure(AtomicResult.open(locked.ciphertext(), locked.lock(), otherJob, preimage,
                JobResult.sha256(output)))).isEqualTo(AtomicResult.Failure.RESULT_NOT_OPENED);
    }

    @Property(tries = 100)
    void aPlaintextThatIsNotTheCommittedOneIsProvablyWrong(@ForAll String output, @ForAll String committed,
            @ForAll("secrets") byte[] preimage, @ForAll("jobIds") String job) {
        net.jqwik.api.Assume.that(!output.equals(committed));
        AtomicResult.Locked locked = AtomicResult.lock(output, preimage, job, RANDOM);
        assertThat(failure(AtomicResult.open(locked.ciphertext(), locked.lock(), job, preimage,
                JobResult.sha256(committed)))).isEqualTo(AtomicResult.Failure.RESULT_HASH_MISMATCH);
    }

    @Example
    void keyDerivationIsRfc5869HkdfSha256() {
        // RFC 5869 has no 32-byte-salt vector with our info; this pins our parameters so they cannot drift
        byte[] key = AtomicResult.key(new byte[32], "00".repeat(32));
        assertThat(key).hasSize(32);
        assertThat(Hex.encode(key)).isEqualTo(Hex.encode(hkdf(new byte[32], new byte[32], AtomicResult.INFO)));
    }

    @Example
    void aLockedResultSurvivesTheSealed4406AndItsSchema() {
        String job = "cd".repeat(32);
        String output = "[[0.25,-0.5]]".repeat(4000); // over one part
        byte[] preimage = new byte[32];
        RANDOM.nextBytes(preimage);
        AtomicResult.Locked locked = AtomicResult.lock(output, preimage, job, RANDOM);
        List<JobResult> parts = JobProgressCodecs.splitLocked(job, "vectors", locked, JobResult.sha256(output), 2,
                "text");
        assertThat(parts).hasSizeGreaterThan(1);
        List<JobResult> decoded = new java.util.ArrayList<>();
        for (JobResult part : parts) {
            Event e = EventSigner.sign(JobProgressCodecs.encodeResult(part, NODE, CLIENT.publicKey(), NOW), NODE);
            assertThat(e.firstTagValue("x")).contains(JobResult.sha256(output));
            assertThat(KindSchemas.violations(e, open(e, CLIENT))).isEmpty();
            decoded.add(JobProgressCodecs.decodeResult(e, CLIENT).orElseThrow());
        }
        assertThat(decoded).isEqualTo(parts);
        String joined = JobProgressCodecs.join(decoded).orElseThrow();
        assertThat(AtomicResult.open(joined, decoded.get(0).lock().orElseThrow(), job, preimage,
                decoded.get(0).outputSha256())).isEqualTo(new AtomicResult.Opened.Output(output));
    }

    /** RFC 5869 written out with the JDK's HMAC, as an independent check of the Bouncy Castle call. */
    private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new javax.crypto.spec.SecretKeySpec(prk, "HmacSHA256"));
            mac.update(info);
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static AtomicResult.Failure failure(AtomicResult.Opened opened) {
        return opened instanceof AtomicResult.Opened.Refused r ? r.failure() : null;
    }
}
