package org.fedai.roles.router.machine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.InvoiceResult;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.MeteringCodecs;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.PaymentProof;
import org.fedai.store.RouterQuoteRow;

/**
 * One job walked through {@link RouterJobMachine} by hand, as the shell would walk it but with no ledger, relay,
 * wallet or clock: the test plays the node and the client with real keys and codecs, sets the time, and answers the
 * machine's questions (fee invoice, payment check, metering sequence) as it chooses. Every action of every step is
 * kept, in order, so a test can check what happened and in which order.
 */
final class JobWalk {

    static final String HASH = "11".repeat(32);

    final KeyPair router = KeyPair.generate();
    final KeyPair client = KeyPair.generate();
    final KeyPair node = KeyPair.generate();
    final KeyPair fallback = KeyPair.generate();
    final RouterJobMachine machine = new RouterJobMachine(router, Duration.ofSeconds(120));
    final List<Transition> steps = new ArrayList<>();
    /** Every input fed, in order (answers to the machine's questions included). */
    final List<RouterInput> inputs = new ArrayList<>();
    /** Metering records countersigned so far, by event id. */
    final java.util.Set<EventId> receipts = new java.util.HashSet<>();
    private RouterInput lastFed;
    long nowMs = 1_800_000_000_000L;
    RouterJob job;
    Event specEvent;
    JobRequest.Spec spec;

    /** How the test answers the machine's questions. */
    boolean feeInvoiceFails;
    /** The wallet's fee invoice is kept back until {@link #heldFeeInvoice()} (a node's status can come first). */
    boolean holdFeeInvoice;
    private RouterInput held;
    ProofOutcome proofOutcome = new ProofOutcome.Verified(true, List.of(HASH));
    long nextSeq = 1;

    JobWalk(PaymentTiming timing, long units) {
        long now = nowMs / 1000;
        spec = new JobRequest.Spec("all-minilm-l6-v2", "embedding", "ab".repeat(32), 100, units,
                timing == PaymentTiming.FREE ? 0 : 100_000, JobRequest.Constraints.none(), timing, now + 60, now + 60);
        specEvent = EventSigner.sign(JobRequestCodec.encode(spec, client, router.publicKey(), now), client);
        job = RouterJob.unknown(JobId.of(specEvent.id()));
    }

    Offer offer(KeyPair who, long price, long fee) {
        return new Offer(PublicKey.of(who.publicKey()), "02" + "cd".repeat(32), "regtest", Msat.of(price), Msat.of(fee), 3_000);
    }

    /** The spec admitted with these offers, best first, from a client with no fee credit. */
    Transition admit(Offer... ranked) {
        return admitWithCredit(Msat.ZERO, ranked);
    }

    /** The spec admitted with these offers, from a client the router may trust with {@code credit} in fees. */
    Transition admitWithCredit(Msat credit, Offer... ranked) {
        return feed(new RouterInput.SpecAdmitted(specEvent, spec, List.of(ranked), credit));
    }

    /** The spec admitted with the spares the shell took for it (4402 "Spare invoices"). */
    Transition admitWithSpares(Msat credit, QuotedSpares spares, Offer... ranked) {
        return feed(new RouterInput.SpecAdmitted(specEvent, spec, List.of(ranked), credit, spares));
    }

    Transition status(KeyPair from, JobStatus.State state) {
        JobStatus status = new JobStatus(job.jobId().hex(), client.publicKey(), router.publicKey(), state, "");
        Event event = EventSigner.sign(JobProgressCodecs.encodeStatus(status, nowMs / 1000), from);
        return feed(new RouterInput.StatusReported(event, status, false));
    }

    Transition proof() {
        return proof(client);
    }

    Transition proof(KeyPair from) {
        PaymentProof proof = new PaymentProof(job.jobId().hex(), List.of(new PaymentProof.Paid("lnbcrt1fake", "22".repeat(32))));
        Event event = EventSigner.sign(new org.fedai.nostr.UnsignedEvent(nowMs / 1000, 4403, List.of(), "{}"), from);
        return feed(new RouterInput.ProofReceived(event, proof, spec));
    }

    Transition metering(long priceMsat, List<String> hashes) {
        return metering(node, priceMsat, hashes, false);
    }

    Event meteringEvent(KeyPair from, long priceMsat, List<String> hashes) {
        long now = nowMs / 1000;
        MeteringRecord record = new MeteringRecord(job.jobId().hex(), client.publicKey(), router.publicKey(), spec.model(),
                spec.units(), "texts", priceMsat, hashes, "ef".repeat(32), now - 1, now);
        return EventSigner.sign(MeteringCodecs.encodeRecord(record, now), from);
    }

    Transition metering(KeyPair from, long priceMsat, List<String> hashes, boolean countersigned) {
        Event event = meteringEvent(from, priceMsat, hashes);
        return feed(new RouterInput.MeteringReceived(event, MeteringCodecs.decodeRecord(event).orElseThrow(), spec,
                countersigned));
    }

    Transition acceptTimeout(Offer... ranked) {
        return feed(new RouterInput.AcceptTimedOut(job.jobId(), job.row().orElseThrow().activeQuoteId().orElseThrow(), spec,
                List.of(ranked)));
    }

    /** The wallet's fee invoice, kept back under {@link #holdFeeInvoice}. */
    RouterInput heldFeeInvoice() {
        return held;
    }

    /** The input last fed from outside (not an answer to the machine's questions). */
    RouterInput lastInput() {
        return lastFed;
    }

    /** Whether the ledger would hold a receipt for this record: what the shell tells the machine. */
    boolean countersigned(RouterInput.MeteringReceived m) {
        return receipts.contains(EventId.of(m.event().id()));
    }

    RouterQuoteRow quote() {
        return job.activeQuote().orElseThrow();
    }

    /** One input and the answers to its questions, as the shell runs them; returns every action, in order. */
    Transition feed(RouterInput input) {
        lastFed = input;
        Deque<RouterInput> pending = new ArrayDeque<>(List.of(input));
        List<RouterAction> actions = new ArrayList<>();
        while (!pending.isEmpty()) {
            RouterInput next = pending.poll();
            inputs.add(next);
            Transition t = machine.on(next, job, nowMs);
            steps.add(t);
            t.actionsOf(RouterAction.SetReceipt.class).forEach(r -> receipts.add(r.recordId()));
            job = t.job();
            actions.addAll(t.actions());
            for (RouterAction a : t.actions()) {
                switch (a) {
                    case RouterAction.MakeFeeInvoice f -> {
                        RouterInput answer = new RouterInput.FeeInvoiced(f, feeInvoiceFails
                                ? new InvoiceResult.Failed(BackendFailure.BACKEND_ERROR, "wallet down")
                                : new InvoiceResult.Created("lnbcrt1fee", fromHex("33".repeat(32)), nowMs / 1000 + 120));
                        if (holdFeeInvoice) {
                            held = answer;
                        } else {
                            pending.add(answer);
                        }
                    }
                    case RouterAction.CheckPayment c -> pending.add(new RouterInput.ProofChecked(c, proofOutcome));
                    case RouterAction.AppendMetering m -> pending.add(new RouterInput.MeteringJournaled(m, nextSeq++));
                    default -> {
                    }
                }
            }
        }
        return new Transition(job, actions, steps.get(steps.size() - 1).durability());
    }

    private static byte[] fromHex(String hex) {
        return org.fedai.nostr.Hex.decode(hex);
    }
}
