package org.fedai.protocol;

import static org.fedai.protocol.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/** Codecs of what a node sends while and after it works: 4405 status, 24401 stream chunk, 4406 result. */
public final class JobProgressCodecs {

    /** Output bytes per 4406 part: sealed and base64-encoded, a part stays under the 60 KB event limit. */
    public static final int MAX_PART_BYTES = 32 * 1024;
    public static final int MAX_PARTS = 1024;

    private JobProgressCodecs() {
    }

    public static UnsignedEvent encodeStatus(JobStatus s, long createdAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("e", s.jobId()));
        tags.add(1, List.of("p", s.client()));
        tags.add(2, List.of("p", s.router()));
        tags.add(List.of("status", s.state().code()));
        if (!s.reason().isEmpty()) {
            tags.add(List.of("reason", s.reason()));
        }
        tags.add(MarketLifetimes.expiration(createdAt, MarketLifetimes.EVIDENCE));
        return new UnsignedEvent(createdAt, FedaiKind.JOB_STATUS.number(), tags, s.message());
    }

    public static Decoded<JobStatus> decodeStatus(Event event) {
        try {
            CommonTags.check(event, FedaiKind.JOB_STATUS);
            List<String> p = event.tagValues("p");
            if (p.size() < 2 || !org.fedai.nostr.Hex.isLowerHex(p.get(0), 32)
                    || !org.fedai.nostr.Hex.isLowerHex(p.get(1), 32)) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, "needs p client then p router");
            }
            String job = CommonTags.required(event, "e");
            if (!org.fedai.nostr.Hex.isLowerHex(job, 32)) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, "e must be an event id");
            }
            JobStatus.State state;
            try {
                state = JsonFields.enumValue(JobStatus.State.class, CommonTags.required(event, "status"), "status");
            } catch (InvalidContentException e) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, e.getMessage());
            }
            if (event.content().length() > 1024) {
                throw new InvalidContentException(Rejection.Reason.TOO_LARGE, "status message over 1024 characters");
            }
            String reason = event.tagValues("reason").stream().findFirst().orElse("");
            if (!reason.isEmpty() && (state != JobStatus.State.ERROR || !JobStatus.validReason(reason))) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG,
                        "reason must be a [a-z0-9_]{1,64} code on an error status");
            }
            return Decoded.accepted(new JobStatus(job, p.get(0), p.get(1), state, event.content(), reason));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    public static UnsignedEvent encodeChunk(StreamChunk c, KeyPair node, String client, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("job", c.jobId()).put("seq", c.seq()).put("text", c.text());
        return SealedContent.jobEvent(FedaiKind.STREAM_CHUNK, c.jobId(), root, node, client, createdAt, 0);
    }

    public static Decoded<StreamChunk> decodeChunk(Event event, KeyPair client) {
        try {
            CommonTags.check(event, FedaiKind.STREAM_CHUNK);
            JsonNode root = SealedContent.openJob(event, client);
            JsonNode text = root.get("text");
            if (text == null || !text.isTextual()) {
                throw invalid("text must be a string");
            }
            return Decoded.accepted(new StreamChunk(root.get("job").asText(), JsonFields.nonNegativeLong(root, "seq"),
                    text.asText()));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    public static UnsignedEvent encodeResult(JobResult r, KeyPair node, String client, long createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("job", r.jobId()).put("output_type", r.outputType())
                .put("output", r.output()).put("part", r.part()).put("parts", r.parts())
                .put("output_sha256", r.outputSha256());
        root.putObject("usage").put("units", r.units()).put("unit", r.unit());
        r.lock().ifPresent(l -> root.putObject("lock").put("cipher", l.cipher()).put("payment_hash", l.paymentHash())
                .put("nonce", l.nonce()));
        UnsignedEvent e = SealedContent.jobEvent(FedaiKind.JOB_RESULT, r.jobId(), root, node, client, createdAt,
                MarketLifetimes.expiresAt(createdAt, MarketLifetimes.EVIDENCE));
        return e.withTag("x", r.outputSha256());
    }

    /**
     * Decodes one part. The whole output's hash can only be checked once every part is in: see
     * {@link #assemble}.
     */
    public static Decoded<JobResult> decodeResult(Event event, KeyPair client) {
        try {
            CommonTags.check(event, FedaiKind.JOB_RESULT);
            return readResult(event, SealedContent.openJob(event, client));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    /**
     * Decodes one part with the client-node NIP-44 conversation key, as a third party does when a tampering claim
     * (4409) reveals it: the node's signature over the ciphertext and the NIP-44 MAC make what opens authentic.
     */
    public static Decoded<JobResult> decodeResult(Event event, byte[] conversationKey) {
        try {
            CommonTags.check(event, FedaiKind.JOB_RESULT);
            return readResult(event, SealedContent.openJob(event, conversationKey));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    private static Decoded<JobResult> readResult(Event event, JsonNode root) {
        try {
            String outputSha256 = JsonFields.hex32(root, "output_sha256");
            if (!outputSha256.equals(event.firstTagValue("x").orElse(""))) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "output_sha256 differs from the x tag");
            }
            int parts = JsonFields.nonNegativeInt(root, "parts");
            int part = JsonFields.nonNegativeInt(root, "part");
            if (parts < 1 || parts > MAX_PARTS || part < 1 || part > parts) {
                throw invalid("part must be in 1..parts and parts in 1.." + MAX_PARTS);
            }
            JsonNode output = root.get("output");
            if (output == null || !output.isTextual()) {
                throw invalid("output must be a string");
            }
            JsonNode usage = JsonFields.object(root, "usage");
            java.util.Optional<ResultLock> lock = root.has("lock") ? java.util.Optional.of(readLock(root))
                    : java.util.Optional.empty();
            JobResult r = new JobResult(root.get("job").asText(), JsonFields.text(root, "output_type"), output.asText(),
                    part, parts, outputSha256, JsonFields.nonNegativeLong(usage, "units"), JsonFields.text(usage, "unit"),
                    lock);
            // a locked output is ciphertext: only the client, once it has paid, can check the plaintext's hash
            if (parts == 1 && lock.isEmpty() && !JobResult.sha256(r.output()).equals(outputSha256)) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "output does not hash to output_sha256");
            }
            return Decoded.accepted(r);
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    private static ResultLock readLock(JsonNode root) throws InvalidContentException {
        JsonNode lock = JsonFields.object(root, "lock");
        String nonce = JsonFields.text(lock, "nonce");
        if (!org.fedai.nostr.Hex.isLowerHex(nonce, 12)) {
            throw invalid("lock.nonce must be 12 bytes of hex");
        }
        return new ResultLock(JsonFields.text(lock, "cipher"), JsonFields.hex32(lock, "payment_hash"), nonce);
    }

    /** Splits an output into parts of at most {@link #MAX_PART_BYTES} UTF-8 bytes, never inside a code point. */
    public static List<JobResult> split(String jobId, String outputType, String output, long units, String unit) {
        return split(jobId, outputType, output, JobResult.sha256(output), units, unit, java.util.Optional.empty());
    }

    /** Splits an atomic result's ciphertext; every part carries the lock and the plaintext's hash. */
    public static List<JobResult> splitLocked(String jobId, String outputType, AtomicResult.Locked locked,
            String plaintextSha256, long units, String unit) {
        return split(jobId, outputType, locked.ciphertext(), plaintextSha256, units, unit,
                java.util.Optional.of(locked.lock()));
    }

    private static List<JobResult> split(String jobId, String outputType, String output, String hash, long units,
            String unit, java.util.Optional<ResultLock> lock) {
        List<String> pieces = Utf8Pieces.split(output, MAX_PART_BYTES);
        if (pieces.size() > MAX_PARTS) {
            throw new IllegalArgumentException("output needs more than " + MAX_PARTS + " parts");
        }
        java.util.ArrayList<JobResult> parts = new java.util.ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            parts.add(new JobResult(jobId, outputType, pieces.get(i), i + 1, pieces.size(), hash, units, unit, lock));
        }
        return parts;
    }

    /** Joins all parts of one result in order and checks the whole output's hash. */
    public static Decoded<String> assemble(List<JobResult> parts) {
        Decoded<String> whole = join(parts);
        if (whole instanceof Decoded.Accepted<String> a && parts.get(0).lock().isEmpty()
                && !JobResult.sha256(a.value()).equals(parts.get(0).outputSha256())) {
            return Decoded.rejected(Rejection.Reason.INCONSISTENT, "assembled output does not hash to output_sha256");
        }
        return whole;
    }

    /**
     * Joins all parts in order, checking they agree on count, hash and lock; a locked result's joined ciphertext
     * is opened with {@link AtomicResult#open}, which checks the plaintext's hash.
     */
    public static Decoded<String> join(List<JobResult> parts) {
        if (parts.isEmpty()) {
            return Decoded.rejected(Rejection.Reason.INCONSISTENT, "no parts");
        }
        int n = parts.get(0).parts();
        JobResult[] ordered = new JobResult[n];
        for (JobResult r : parts) {
            if (r.parts() != n || !r.outputSha256().equals(parts.get(0).outputSha256())
                    || !r.lock().equals(parts.get(0).lock())) {
                return Decoded.rejected(Rejection.Reason.INCONSISTENT, "parts disagree on their count or hash");
            }
            ordered[r.part() - 1] = r;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (ordered[i] == null) {
                return Decoded.rejected(Rejection.Reason.INCONSISTENT, "part " + (i + 1) + " of " + n + " missing");
            }
            out.append(ordered[i].output());
        }
        return Decoded.accepted(out.toString());
    }
}
