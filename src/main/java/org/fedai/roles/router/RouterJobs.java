package org.fedai.roles.router;

import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.MalformedEventException;
import org.fedai.payment.Settlement;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.MeteringCodecs;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentProof;
import org.fedai.roles.router.machine.RouterAction;
import org.fedai.roles.router.machine.RouterInput;
import org.fedai.roles.router.machine.RouterJob;
import org.fedai.roles.router.machine.RouterJobMachine;
import org.fedai.roles.router.machine.Transition;
import org.fedai.store.RouterJobRow;
import org.fedai.store.RouterLedger;

/**
 * The shell around {@link RouterJobMachine}, run on the role's thread: decodes and verifies each job event, admits
 * specs, shows the machine the job as the ledger holds it and the market's offers, and has {@link JobEffects}
 * carry out the transition, feeding the answers to its questions back in until the job rests.
 */
final class RouterJobs {

    private final RouterJobMachine machine;
    private final KeyPair keys;
    private final InstantSource clock;
    private final RouterLedger ledger;
    private final SpecAdmission admission;
    private final RouterMarket market;
    private final Predicate<PublicKey> slashed;
    private final RefusalNotices notices;
    private final SpareBook spares;
    private JobEffects effects;

    RouterJobs(RouterConfig config, RouterLedger ledger, SpecAdmission admission, RouterMarket market,
            Predicate<PublicKey> slashed, RefusalNotices notices, SpareBook spares) {
        this.spares = spares;
        this.machine = new RouterJobMachine(config.keys(), config.quoteLifetime());
        this.keys = config.keys();
        this.clock = config.clock();
        this.ledger = ledger;
        this.admission = admission;
        this.market = market;
        this.slashed = slashed;
        this.notices = notices;
    }

    /** Set once before the first event: the effects' accept clocks call back into {@link #onAcceptTimeout}. */
    void carryOutWith(JobEffects jobEffects) {
        this.effects = jobEffects;
    }

    void onSpec(Event event) {
        Decoded<JobRequest> decoded = JobRequestCodec.decode(event, keys, nowSeconds());
        if (decoded instanceof Decoded.Rejected<JobRequest> r) {
            effects.refuse(FedaiKind.JOB_REQUEST, r.rejection().reason().code(), event);
        } else if (!(decoded.orElseThrow() instanceof JobRequest.Spec spec)) {
            effects.refuse(FedaiKind.JOB_REQUEST, "not_a_spec", event);
        } else {
            switch (admission.admit(event, spec, nowSeconds())) {
                case SpecAdmission.Admitted a -> run(new RouterInput.SpecAdmitted(event, spec, a.ranked(), a.feeCredit(),
                        spares.take(spec, JobId.of(event.id()), a.ranked().get(0))));
                case SpecAdmission.Refused r -> {
                    effects.refuse(FedaiKind.JOB_REQUEST, r.reason(), event);
                    if (r.tellClient()) {
                        notices.send(JobId.of(event.id()), PublicKey.of(event.pubkey()), r.reason());
                    }
                }
            }
        }
    }

    void onAcceptTimeout(JobId jobId, EventId quoteId) {
        RouterJob job = load(jobId);
        if (!RouterJobMachine.awaitsAcceptance(job, quoteId)) {
            return; // accepted, or superseded, in the meantime: no fallback to select
        }
        JobRequest.Spec spec = respec(job.row().orElseThrow());
        run(new RouterInput.AcceptTimedOut(jobId, quoteId, spec, spec == null ? List.of()
                : market.offers(jobId, job.client(), spec, job.triedNodes(), true).ranked()));
    }

    /** The router's wallet reports one of its invoices settled: a job's fee, when a quote asked it under that hash. */
    void onFeeSettled(Settlement settled) {
        String hash = Hex.encode(settled.paymentHash());
        ledger.jobOfFeeHash(hash).ifPresent(jobId -> run(new RouterInput.FeeSettled(jobId, hash,
                Msat.of(settled.amountMsat()))));
    }

    void onStatus(Event event) {
        if (event.pubkey().equals(keys.publicKey())) {
            return; // our own refusal notice, p-tagged to us as every 4405 is
        }
        Decoded<JobStatus> decoded = JobProgressCodecs.decodeStatus(event);
        if (decoded instanceof Decoded.Rejected<JobStatus> r) {
            effects.refuse(FedaiKind.JOB_STATUS, r.rejection().reason().code(), event);
            return;
        }
        JobStatus status = decoded.orElseThrow();
        RouterJob job = load(JobId.of(status.jobId()));
        boolean nodeSlashed = job.activeQuote().map(q -> slashed.test(q.node())).orElse(false);
        run(new RouterInput.StatusReported(event, status, nodeSlashed), job);
    }

    void onProof(Event event) {
        Decoded<PaymentProof> decoded = PaymentCodecs.decodeProof(event, keys, nowSeconds());
        if (decoded instanceof Decoded.Rejected<PaymentProof> r) {
            effects.refuse(FedaiKind.PAYMENT_PROOF, r.rejection().reason().code(), event);
            return;
        }
        PaymentProof proof = decoded.orElseThrow();
        run(new RouterInput.ProofReceived(event, proof, ledger.job(JobId.of(proof.jobId())).map(this::respec)
                .orElse(null)));
    }

    void onMetering(Event event) {
        Decoded<MeteringRecord> decoded = MeteringCodecs.decodeRecord(event);
        if (decoded instanceof Decoded.Rejected<MeteringRecord> r) {
            effects.refuse(FedaiKind.METERING_RECORD, r.rejection().reason().code(), event);
            return;
        }
        MeteringRecord record = decoded.orElseThrow();
        boolean countersigned = ledger.metering(EventId.of(event.id())).filter(m -> m.receiptId().isPresent()).isPresent();
        run(new RouterInput.MeteringReceived(event, record, ledger.job(JobId.of(record.jobId())).map(this::respec)
                .orElse(null),
                countersigned));
    }

    private void run(RouterInput first) {
        run(first, load(first.jobId()));
    }

    /**
     * One input on the job as {@code loaded} from the ledger, then the answers it asked for (each on the job loaded
     * again), until the job rests; parked records go round again.
     */
    private void run(RouterInput first, RouterJob loaded) {
        Deque<RouterInput> pending = new ArrayDeque<>(List.of(first));
        RouterJob job = loaded;
        while (!pending.isEmpty()) {
            RouterInput input = pending.poll();
            if (job == null) {
                job = load(input.jobId());
            }
            Transition transition = machine.on(input, job, clock.millis());
            job = null;
            JobEffects.FollowUps next = effects.carryOut(transition, nowSeconds());
            assert journalHolds(transition) : "the ledger holds " + load(input.jobId()) + ", the machine said "
                    + transition.job();
            pending.addAll(next.inputs());
            next.meteringAgain().forEach(e -> {
                if (e.kind() == FedaiKind.JOB_STATUS.number()) {
                    onStatus(e);
                } else {
                    onMetering(e);
                }
            });
        }
    }

    /**
     * Whether the ledger now holds the job as the machine said it would (checked when assertions are on, as in every
     * test run): the machine's own picture of a transition and the executor's writes never drift apart.
     */
    private boolean journalHolds(Transition transition) {
        RouterJob machine = transition.job();
        if (!machine.known()) {
            return true;
        }
        RouterJob ledgerHolds = load(machine.jobId());
        // a payment check records what it verified as it runs: the machine learns the hashes in its answer
        return ledgerHolds.equals(transition.actionsOf(RouterAction.CheckPayment.class).isEmpty() ? machine
                : machine.withVerified(ledgerHolds.verifiedHashes()));
    }

    /** The job as the ledger holds it now. */
    RouterJob load(JobId jobId) {
        Optional<RouterJobRow> row = ledger.job(jobId);
        if (row.isEmpty()) {
            return RouterJob.unknown(jobId);
        }
        Set<String> verified = new HashSet<>(ledger.verifiedHashes(jobId, PaymentCheck.NODE));
        verified.addAll(ledger.verifiedHashes(jobId, PaymentCheck.FEE));
        return new RouterJob(jobId, row, ledger.quotesFor(jobId), ledger.workOrder(jobId), ledger.debt(jobId),
                hasInputReceipt(jobId), verified);
    }

    /** Whether the node said (4405 {@code input_received}) that it holds the job's input. */
    private boolean hasInputReceipt(JobId jobId) {
        for (String json : ledger.evidence(jobId)) {
            if (!json.contains(JobStatus.State.INPUT_RECEIVED.code())) {
                continue; // most evidence is the order and the accepted: not worth decoding
            }
            try {
                Event e = EventJson.parse(json);
                if (e.kind() == FedaiKind.JOB_STATUS.number()
                        && JobProgressCodecs.decodeStatus(e) instanceof Decoded.Accepted<JobStatus> s
                        && s.value().state() == JobStatus.State.INPUT_RECEIVED) {
                    return true;
                }
            } catch (MalformedEventException ignored) {
                // unreadable evidence proves nothing
            }
        }
        return false;
    }

    /** The spec again, from the event kept in the ledger; null once it has expired. */
    JobRequest.Spec respec(RouterJobRow job) {
        try {
            Decoded<JobRequest> d = JobRequestCodec.decode(EventJson.parse(job.specEventJson()), keys, nowSeconds());
            return d.isAccepted() && d.orElseThrow() instanceof JobRequest.Spec s ? s : null;
        } catch (MalformedEventException e) {
            return null;
        }
    }

    private long nowSeconds() {
        return clock.millis() / 1000;
    }
}
