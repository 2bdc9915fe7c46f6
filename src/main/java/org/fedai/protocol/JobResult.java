package org.fedai.protocol;

import java.nio.charset.StandardCharsets;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

/**
 * Kind 4406 (event-kinds/4406-job-result.md): a result part, sealed to the client. {@code output} is a
 * string so that its hash is exact; a result too large for one event is split into {@code parts}, each
 * carrying the hash of the whole output ({@code outputSha256}, also public in the {@code x} tag). With a
 * {@code lock} (atomic pay-for-result) {@code output} is base64 ciphertext and {@code outputSha256} still the
 * hash of the plaintext, which the client checks once it has paid and opened it ({@link AtomicResult}).
 */
public record JobResult(String jobId, String outputType, String output, int part, int parts, String outputSha256,
        long units, String unit, java.util.Optional<ResultLock> lock) {

    public JobResult {
        if (parts < 1 || part < 1 || part > parts) {
            throw new IllegalArgumentException("part must be in 1..parts");
        }
    }

    /** A plain (unlocked) result part. */
    public JobResult(String jobId, String outputType, String output, int part, int parts, String outputSha256,
            long units, String unit) {
        this(jobId, outputType, output, part, parts, outputSha256, units, unit, java.util.Optional.empty());
    }

    public static String sha256(String output) {
        return Hex.encode(Sha256.hash(output.getBytes(StandardCharsets.UTF_8)));
    }
}
