package org.fedai.roles.node;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.EarlyInput;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.Rejection;
import org.fedai.protocol.WorkOrder;
import org.fedai.roles.common.Counters;
import org.fedai.roles.node.machine.NodeEvents;
import org.fedai.roles.node.machine.NodeInput;
import org.fedai.roles.node.machine.NodeJobMachine;
import org.fedai.roles.node.machine.NodeTiming;
import org.fedai.roles.node.machine.NodeView;
import org.fedai.roles.node.machine.RunOutcome;
import org.fedai.runner.Runner;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;
import org.fedai.store.NodeSpares;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell around the node's job machine: decodes and admits what arrives (quote, input, work order), loads the
 * job, feeds the machine and has {@link NodeEffects} carry out each transition, feeding the answers back until the
 * job rests. Every method runs on the role's single state thread ({@code onState}); runs come back through it.
 */
final class NodeJobs {

    private static final Logger LOG = LoggerFactory.getLogger(NodeJobs.class);
    /** More steps than a partial job of the most parts takes at once (NodeAdmission.MAX_PARTS). */
    private static final int MAX_STEPS = 4 * NodeAdmission.MAX_PARTS;

    private final NodeConfig config;
    private final InstantSource clock;
    private final NodeJobJournal journal;
    private final NodeAdmission admission;
    private final NodeJobMachine machine;
    private final NodeEffects effects;
    private final ExternalSettlement external;
    private final NodeBilling billing;
    private final Consumer<Runnable> onState;
    private final Counters rejections = new Counters();
    private final Set<JobId> running = ConcurrentHashMap.newKeySet();
    /** Inputs that overtook their quote (client and node get the quote at about the same time), by event id. */
    private final Cache<String, Event> earlyInputs = Caffeine.newBuilder().maximumSize(1024)
            .expireAfterWrite(Duration.ofMinutes(5)).build();
    private final List<Consumer<NodeJobOutcome>> listeners = new CopyOnWriteArrayList<>();
    private final NodeOutbox outbox;
    private final SpareInvoices spares;
    private final SparesAhead ahead;
    private final NodeWalletReports reports;
    private volatile boolean closed;

    NodeJobs(NodeConfig config, InstantSource clock, NodeJobJournal journal, PaymentBackend wallet, Runner runner,
            NodeOutbox outbox, Executor workers, Executor walletCalls, Consumer<Runnable> onState) {
        this.config = config;
        this.clock = clock;
        this.journal = journal;
        this.onState = onState;
        this.outbox = outbox;
        this.billing = new NodeBilling(wallet, config.invoiceExpiry());
        this.admission = new NodeAdmission(config, runner, wallet, billing);
        SecureRandom random = new SecureRandom();
        java.util.function.Supplier<byte[]> freshPreimages = () -> {
            byte[] preimage = new byte[32];
            random.nextBytes(preimage);
            return preimage;
        };
        this.machine = new NodeJobMachine(config.keys(), config.maxInputBytes(), freshPreimages);
        NodeEvents events = new NodeEvents(config.keys());
        this.effects = new NodeEffects(journal, billing, outbox, events, runner, workers, walletCalls, running, new Shell(),
                clock);
        this.external = new ExternalSettlement(journal, events, outbox, billing, clock);
        this.spares = new SpareInvoices(journal.spares(), wallet, events, outbox, walletCalls, onState, clock,
                freshPreimages);
        this.ahead = new SparesAhead(config, clock, spares::topUp);
        this.reports = new NodeWalletReports(journal, billing, external, spares, this::owed, this::feed);
    }

    /** What the node refused, by (kind, reason). */
    Counters rejections() {
        return rejections;
    }

    void addListener(Consumer<NodeJobOutcome> listener) {
        listeners.add(listener);
    }

    /** From now on a finished run is dropped: the journal keeps the job RUNNING for the next start. */
    void close() {
        closed = true;
    }

    // ---- what arrives -----------------------------------------------------------------------------------------

    void handle(Event e) {
        switch (FedaiKind.of(e.kind()).orElse(null)) {
            case QUOTE -> onQuote(e);
            case JOB_REQUEST -> onInput(e);
            case WORK_ORDER -> onWorkOrder(e);
            case ROUTER_ANNOUNCEMENT -> ahead.onAnnouncement(e).ifPresent(why -> reject(why, e, "announcement"));
            case null, default -> reject("wrong_kind", e, "kind " + e.kind());
        }
    }

    private void onQuote(Event e) {
        long now = now();
        if (journal.processed(EventId.of(e.id()))) {
            reject("duplicate", e, "quote already handled");
            return;
        }
        Quote q;
        switch (QuoteCodec.decode(e, config.keys(), now)) {
            case Decoded.Rejected<Quote> r -> {
                reject(r.rejection(), e);
                return;
            }
            case Decoded.Accepted<Quote> a -> q = a.value();
        }
        Optional<String> refusal = admission.quoteRefusal(q, e.pubkey(), now);
        if (refusal.isPresent()) {
            reject(refusal.get(), e, q.jobId());
            return;
        }
        PublicKey router = PublicKey.of(e.pubkey());
        Optional<NodeSpares.Spare> spare = Optional.empty();
        if (!q.nodeInvoice().isEmpty() && q.node().equals(config.keys().publicKey())) {
            spare = spares.quoted(q, router, now);
            if (spare.isEmpty()) {
                reject("unknown_spare_invoice", e, q.jobId()); // not one this node handed that router, or used
                return;
            }
        }
        JobId jobId = JobId.of(q.jobId());
        feed(jobId, new NodeInput.QuoteAdmitted(e, q, spare));
        if (q.earlyInput() != null && q.node().equals(config.keys().publicKey()) && journal.job(jobId).isPresent()) {
            // the input came with the spec, sealed for this node: the client's own 4400 copy, beside, is then redundant
            switch (EarlyInput.open(q.earlyInput(), config.keys(), q.client(), q.jobId(), q.deliverBy())) {
                case Decoded.Accepted<JobRequest.Input> a -> feed(jobId, new NodeInput.EarlyInputOpened(e, a.value()));
                case Decoded.Rejected<JobRequest.Input> r -> reject(r.rejection(), e); // the client's copy follows
            }
        }
        // a client that pays a quoted spare can beat the node's copy of the quote: its wallet's report was kept
        Optional<String> hash = spare.map(NodeSpares.Spare::paymentHash);
        if (hash.filter(billing::reportedSettled).isPresent()) {
            reports.onSettled(hash.get());
        } else if (hash.filter(billing::reportedHeld).isPresent()) {
            reports.onHeld(hash.get());
        }
    }

    private void onInput(Event e) {
        if (journal.processed(EventId.of(e.id()))) {
            reject("duplicate", e, "input already handled");
            return;
        }
        switch (JobRequestCodec.decode(e, config.keys(), now())) {
            case Decoded.Rejected<JobRequest> r -> reject(r.rejection(), e);
            case Decoded.Accepted<JobRequest> a when a.value() instanceof JobRequest.Input input ->
                    feed(JobId.of(input.jobId()), new NodeInput.InputReceived(e, input));
            case Decoded.Accepted<JobRequest> a -> reject("unexpected_spec", e, "a node takes inputs, not specs");
        }
    }

    /** 4404: only from the quoting router, once per job, and for {@code paid} only if the wallet saw the money. */
    private void onWorkOrder(Event e) {
        if (journal.processed(EventId.of(e.id()))) {
            reject("duplicate", e, "work order already handled");
            return;
        }
        WorkOrder o;
        switch (PaymentCodecs.decodeWorkOrder(e, config.keys(), now())) {
            case Decoded.Rejected<WorkOrder> r -> {
                reject(r.rejection(), e);
                return;
            }
            case Decoded.Accepted<WorkOrder> a -> o = a.value();
        }
        Optional<NodeJob> job = journal.job(JobId.of(o.jobId()));
        if (job.isEmpty()) {
            reject("unknown_job", e, o.jobId());
            return;
        }
        Optional<String> refusal = admission.orderRefusal(job.get(), o, PublicKey.of(e.pubkey()),
                journal.preimage(job.get().jobId()).isPresent());
        if (refusal.isPresent()) {
            reject(refusal.get(), e, o.jobId());
            return;
        }
        feed(JobId.of(o.jobId()), new NodeInput.OrderAdmitted(e, o));
    }

    // ---- the machine loop -------------------------------------------------------------------------------------

    /** One input and every answer it leads to, in order, each on the job as the journal then holds it. */
    private void feed(JobId jobId, NodeInput first) {
        Deque<NodeInput> pending = new ArrayDeque<>(List.of(first));
        List<Event> again = new ArrayList<>();
        for (int steps = 0; !pending.isEmpty(); steps++) {
            if (steps == MAX_STEPS) {
                // a machine that keeps asking would hold the state thread: the sweep takes the job up again
                LOG.warn("job {}: still moving after {} steps; left for the next sweep ({})", jobId, steps, pending);
                rejections.increment("internal_error");
                break;
            }
            long now = now();
            NodeEffects.FollowUps next = effects.carryOut(machine.on(pending.poll(), view(jobId), now), now);
            pending.addAll(next.inputs());
            again.addAll(next.inputsAgain());
        }
        again.forEach(this::onInput);
    }

    private NodeView view(JobId jobId) {
        Optional<NodeJob> job = journal.job(jobId);
        if (job.isEmpty()) {
            return NodeView.unknown(jobId);
        }
        NodeTiming timing = NodeTiming.of(job.get());
        // only hold, atomic and a before job paid into a hold spare keep a preimage on the job, only partial has
        // parts: the others skip the reads
        boolean locked = timing == NodeTiming.HOLD || timing == NodeTiming.ATOMIC
                || timing == NodeTiming.BEFORE && job.get().invoice().isPresent();
        return new NodeView(jobId, job.get(), locked ? journal.preimage(jobId) : Optional.empty(),
                timing.partial() ? journal.parts().of(jobId) : List.of(), running.contains(jobId));
    }

    /** After a restart: every open job carried on or failed, every delivered job's payment followed up. */
    void resume() {
        journal.openJobs().forEach(job -> feed(job.jobId(), new NodeInput.Resumed()));
        owed().forEach(jobId -> feed(jobId, new NodeInput.Resumed()));
        // the wallet reported payments into hold spares while the node was down only then: asked again
        spares.lookUpPaidInto(hash -> {
            billing.noteHeld(hash);
            reports.onHeld(hash);
        });
        // what a killed node journalled and never got onto a relay (a delivered job's result, say) goes out now, not
        // only with the next job's events: no transition of the resumed job may publish again
        outbox.flush();
    }

    /** Deadlines, wallets that gave no answer, held payments, and settlements owed after delivery. */
    void sweep() {
        outbox.flush(); // events no relay took when they were sent (all down then) are sent again
        external.sweep();
        ahead.keep();
        spares.refundUntaken();
        journal.openJobs().forEach(job -> feed(job.jobId(), new NodeInput.Swept()));
        owed().forEach(jobId -> feed(jobId, new NodeInput.Swept()));
    }

    /** Delivered jobs whose payment the node has not recorded: pay-after-work, hold and atomic. */
    private Set<JobId> owed() {
        Map<JobId, Boolean> ids = new LinkedHashMap<>();
        journal.awaitingPayment().forEach(j -> ids.put(j.jobId(), true));
        journal.awaitingSettlement().forEach(j -> ids.put(j.jobId(), true));
        return ids.keySet();
    }

    /** The wallet's reports of this node's invoices settled or held, routed to the jobs they answer. */
    PaymentBackend.Subscription watchSettlements(Consumer<Runnable> onState) {
        return reports.watch(onState);
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private void reject(Rejection rejection, Event e) {
        reject(rejection.reason().code(), e, rejection.detail());
    }

    private void reject(String reason, Event e, String detail) {
        rejections.count(e.kind(), reason);
        LOG.info("rejected {} kind {} from {}: {} ({})", e.id(), e.kind(), e.pubkey(), reason, detail);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** What the executor tells the shell. */
    private final class Shell implements NodeEffects.Shell {
        @Override
        public void reject(String reason, Event event, String detail) {
            NodeJobs.this.reject(reason, event, detail);
        }

        @Override
        public void park(Event input) {
            earlyInputs.put(input.id(), input);
        }

        @Override
        public List<Event> releaseParked(JobId jobId) {
            List<Event> early = earlyInputs.asMap().values().stream()
                    .filter(input -> input.firstTagValue("e").orElse("").equals(jobId.hex())).toList();
            early.forEach(input -> earlyInputs.invalidate(input.id()));
            return early;
        }

        @Override
        public void finished(JobId jobId) {
            NodeJob job = journal.job(jobId).orElseThrow();
            PaymentTiming paid = job.terms().timing();
            if (job.state() == NodeJobState.DONE && paid.paidBySpare()) {
                // a spare for the quoting router's next job at this price: made once this one is delivered, so that
                // its wallet call never shares a hop with a job's own
                spares.topUp(job.terms().router(), job.terms().price(), jobId, paid.paidIntoHoldSpare());
            }
            NodeJobOutcome outcome = NodeJobOutcome.of(PublicKey.of(config.keys().publicKey()), job);
            listeners.forEach(l -> l.accept(outcome));
        }

        @Override
        public void runFinished(JobId jobId, int part, RunOutcome outcome) {
            onState.accept(() -> {
                running.remove(jobId);
                if (!closed) {
                    feed(jobId, new NodeInput.RunFinished(part, outcome));
                }
            });
        }

        @Override
        public void answered(JobId jobId, NodeInput answer) {
            onState.accept(() -> {
                if (!closed) {
                    feed(jobId, answer);
                }
            });
        }

        @Override
        public boolean closed() {
            return closed;
        }
    }
}
