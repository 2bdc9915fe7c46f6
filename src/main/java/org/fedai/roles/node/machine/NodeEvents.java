package org.fedai.roles.node.machine;

import java.util.ArrayList;
import java.util.List;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.AtomicResult;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.MeteringCodecs;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.SpareInvoice;
import org.fedai.protocol.StreamChunk;
import org.fedai.store.NodeJob;
import org.fedai.store.Outbound;

/** The node's outgoing events for a job, signed and ready for the journal's outbox. */
public final class NodeEvents {

    private final KeyPair keys;
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    public NodeEvents(KeyPair keys) {
        this.keys = keys;
    }

    /** 4405, public, {@code p} client then {@code p} router. */
    public Outbound status(NodeJob job, JobStatus.State state, String message, long now) {
        return status(job, state, message, "", now);
    }

    /** 4405 with a {@code reason} code ({@code error} only; "" for none). */
    public Outbound status(NodeJob job, JobStatus.State state, String message, String reason, long now) {
        return sign(JobProgressCodecs.encodeStatus(new JobStatus(job.jobId().hex(), job.terms().client().hex(),
                job.terms().router().hex(), state, message, reason), now), job.jobId());
    }

    /** 4402, sealed to the client: exactly the quoted price, one part. */
    public Outbound invoice(NodeJob job, NodeJob.InvoiceRef ref, long now) {
        Invoice invoice = new Invoice(job.jobId().hex(), ref.bolt11(), job.terms().price().value(), 1, 1, ref.expiresAt());
        return sign(PaymentCodecs.encodeInvoice(invoice, keys, job.terms().client().hex(), now), job.jobId());
    }

    /** 4402 {@code spare}, sealed to the router that may quote it; {@code madeOn}: the job whose quote led to it. */
    public Outbound spare(JobId madeOn, PublicKey router, NodeJob.InvoiceRef ref, Msat amount, boolean hold, long now) {
        SpareInvoice spare = new SpareInvoice(madeOn.hex(), ref.bolt11(), amount.value(), ref.expiresAt(), hold);
        return sign(PaymentCodecs.encodeSpare(spare, keys, router.hex(), now), madeOn);
    }

    /** 4402 again, with the preimage the node's wallet shows for it settled (timing {@code external}). */
    public Event settledInvoice(NodeJob job, NodeJob.InvoiceRef ref, String preimageHex, long now) {
        Invoice invoice = new Invoice(job.jobId().hex(), ref.bolt11(), job.terms().price().value(), 1, 1, ref.expiresAt(),
                preimageHex);
        return EventSigner.sign(PaymentCodecs.encodeInvoice(invoice, keys, job.terms().client().hex(), now), keys);
    }

    /** 4402 for part {@code part} of a {@code partial} job: that part's price only. */
    public Outbound partInvoice(NodeJob job, NodeJob.InvoiceRef ref, int part, int parts, Msat amount, long now) {
        Invoice invoice = new Invoice(job.jobId().hex(), ref.bolt11(), amount.value(), part, parts, ref.expiresAt());
        return sign(PaymentCodecs.encodeInvoice(invoice, keys, job.terms().client().hex(), now), job.jobId());
    }

    /**
     * 4406 for part {@code part} of a {@code partial} job: that part's whole output, hashed on its own (x tag and
     * output_sha256), so each part is checked, metered and paid by itself.
     */
    public Outbound partResult(NodeJob job, int part, int parts, RunOutcome.Done done, long now) {
        if (done.output().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > JobProgressCodecs.MAX_PART_BYTES) {
            throw new IllegalArgumentException("a part's output must fit one event");
        }
        JobResult r = new JobResult(job.jobId().hex(), done.outputType(), done.output(), part, parts,
                JobResult.sha256(done.output()), done.units(), done.unit());
        return sign(JobProgressCodecs.encodeResult(r, keys, job.terms().client().hex(), now), job.jobId());
    }

    /** 4407 for one part: its units, its price, its payment hash, its output's hash. */
    public Outbound partMetering(NodeJob job, NodeJob.Outcome outcome, Msat price, String paymentHash, long now) {
        MeteringRecord record = new MeteringRecord(job.jobId().hex(), job.terms().client().hex(), job.terms().router().hex(),
                job.terms().model(), outcome.units(), outcome.unit(), price.value(), List.of(paymentHash),
                outcome.outputSha256(), outcome.startedAt(), outcome.finishedAt());
        return sign(MeteringCodecs.encodeRecord(record, now), job.jobId());
    }

    /** 4406 parts, sealed to the client, each under the event size limit. */
    public List<Outbound> result(NodeJob job, RunOutcome.Done done, long now) {
        List<Outbound> out = new ArrayList<>();
        for (JobResult part : JobProgressCodecs.split(job.jobId().hex(), done.outputType(), done.output(), done.units(),
                done.unit())) {
            out.add(sign(JobProgressCodecs.encodeResult(part, keys, job.terms().client().hex(), now), job.jobId()));
        }
        return out;
    }

    /**
     * 4406 parts of an atomic result: the output locked under {@code preimage} (AtomicResult), the plaintext's
     * hash in the {@code x} tag and in every part, so the node's signature commits to what the key will open.
     */
    public List<Outbound> lockedResult(NodeJob job, RunOutcome.Done done, byte[] preimage, long now) {
        AtomicResult.Locked locked = AtomicResult.lock(done.output(), preimage, job.jobId().hex(), random);
        List<Outbound> out = new ArrayList<>();
        for (JobResult part : JobProgressCodecs.splitLocked(job.jobId().hex(), done.outputType(), locked,
                JobResult.sha256(done.output()), done.units(), done.unit())) {
            out.add(sign(JobProgressCodecs.encodeResult(part, keys, job.terms().client().hex(), now), job.jobId()));
        }
        return out;
    }

    /** 24401, sealed to the client, ephemeral: never journalled, a lost chunk costs nothing (4406 is authoritative). */
    public Event chunk(NodeJob job, long seq, String text, long now) {
        return EventSigner.sign(JobProgressCodecs.encodeChunk(new StreamChunk(job.jobId().hex(), seq, text), keys,
                job.terms().client().hex(), now), keys);
    }

    /** 4407, public: units, the quoted price, the payment hashes that covered it, the output's hash. */
    public Outbound metering(NodeJob job, NodeJob.Outcome outcome, List<String> paymentHashes, long now) {
        MeteringRecord record = new MeteringRecord(job.jobId().hex(), job.terms().client().hex(), job.terms().router().hex(),
                job.terms().model(), outcome.units(), outcome.unit(), job.terms().price().value(), paymentHashes,
                outcome.outputSha256(), outcome.startedAt(), outcome.finishedAt());
        return sign(MeteringCodecs.encodeRecord(record, now), job.jobId());
    }

    private Outbound sign(UnsignedEvent unsigned, JobId jobId) {
        Event event = EventSigner.sign(unsigned, keys);
        return Outbound.of(EventId.of(event.id()), jobId, EventJson.toJson(event));
    }
}
