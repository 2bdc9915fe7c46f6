package org.fedai.roles.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.pool.StoredHistory;
import org.fedai.nostr.pool.Subscription;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.StreamChunk;
import org.fedai.roles.common.Counters;
import org.fedai.store.ClientJournal;

/**
 * The client's side of event-kinds/market-flow.md: send a sealed spec to a router, the input to the node
 * it quotes, pay that node's invoice (and the router's fee) only after checking amount, payee and job
 * binding, prove payment to the router, and collect the hash-checked result. One method per incoming kind.
 */
public final class ClientRole implements AutoCloseable {

    /** How far before the oldest open job the subscription reaches: clock skew between relays and us. */
    static final long RESUBSCRIBE_MARGIN_SECONDS = 60;

    private final ClientConfig config;
    private final RelayPort pool;
    private final ClientPayer payer;
    private final DeferredPayment deferred;
    private final PartialPayment partial;
    private final ExternalPayment external;
    private final ClientJournal journal;
    private final LightningKeyDirectory directory = new LightningKeyDirectory();
    private final LiveJobs live = new LiveJobs();
    private final Map<String, ClientJob> jobs = live.byId();
    private volatile Duration retention = org.fedai.store.Retention.DEFAULT;
    private final Counters counters = new Counters();
    private final ExecutorService payments = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("client-payments").daemon().factory());
    private final java.util.concurrent.ScheduledThreadPoolExecutor timers =
            new java.util.concurrent.ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("client-timers").daemon()
                    .factory());
    private final List<Subscription> subscriptions = new ArrayList<>();
    private volatile BiConsumer<String, StreamChunk> chunkListener = (job, chunk) -> { };
    private final List<BiConsumer<String, String>> progressListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<ResumedJob> resumed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ProofDelivery proofs;
    private final PaymentRetry retry;
    private final BeforePayment before;
    private final SpecDispatch dispatch;
    private final ResultIntake results;
    /** What the helpers may do through this role (they hold this, never the role). */
    private final ClientSteps steps = new ClientRoleSteps(this);

    public ClientRole(ClientConfig config, RelayPort pool, PaymentBackend wallet, ClientJournal journal) {
        this.config = config;
        this.pool = pool;
        this.payer = new ClientPayer(wallet, journal, config.clock());
        this.journal = journal;
        this.proofs = new ProofDelivery(pool, timers, config.publishDeadline(), this::reject);
        this.retry = new PaymentRetry(timers, payments, config.clock());
        this.before = new BeforePayment(steps, payer, directory, retry, journal);
        timers.setRemoveOnCancelPolicy(true); // an ended job's deadline leaves the queue with it
        this.dispatch = new SpecDispatch(steps, pool, journal, directory, this::adopt, timers);
        this.deferred = new DeferredPayment(payer, wallet, directory, payments, timers, steps, retry, config.clock());
        this.partial = new PartialPayment(payer, directory, payments, deferred, steps, retry, config.clock());
        this.external = new ExternalPayment(payer, steps);
        this.results = new ResultIntake(steps, journal, jobs, counters, deferred, partial);
    }

    ClientConfig config() {
        return config;
    }

    public String publicKey() {
        return config.keys().publicKey();
    }

    /**
     * Subscribes to what is addressed to this client and to the Lightning keys peers declare, and waits
     * (up to the publish deadline) for the relays' stored declarations, so the first quote finds them. Open
     * jobs in the journal are taken up again first ({@link ClientRecovery}); {@link #resumed()} lists them.
     */
    public ClientRole start() throws InterruptedException {
        String me = publicKey();
        String owner = journal.claim(me);
        if (!owner.equals(me)) {
            throw new IllegalStateException("this journal belongs to client " + owner + ", not " + me
                    + ": its results are sealed to that key");
        }
        subscriptions.add(directory.follow(pool, this::now, this::reject, config.publishDeadline()));
        ClientRecovery recovery = new ClientRecovery(steps, journal, payer, config.keys(), config.routers());
        List<ClientRecovery.Resumed> open = recovery.load();
        long now = now();
        for (ClientRecovery.Resumed r : open) {
            adopt(r.job(), Math.max(r.job().spec.deliverBy() - now, config.publishDeadline().toSeconds()));
            resumed.add(new ResumedJob(r.job().jobId, r.journaledState().name(), r.job().outcome));
        }
        Filter inbox = Filter.builder().kinds(FedaiKind.QUOTE.number(), FedaiKind.INVOICE.number(),
                FedaiKind.JOB_STATUS.number(), FedaiKind.JOB_RESULT.number(), FedaiKind.STREAM_CHUNK.number()).tag('p', me)
                .since(ClientRecovery.since(open, now, RESUBSCRIBE_MARGIN_SECONDS)).build();
        subscriptions.add(pool.subscribe(List.of(inbox), (e, relay) -> onEvent(e)));
        // first what each job owes the market as journaled (its input, its proof), decided before stored events
        // move any job on: an invoice read below would take a QUOTED job to PAYING before its input went out
        recovery.act(open);
        timers.scheduleAtFixedRate(this::pruneQuietly, 0, org.fedai.store.Retention.PRUNE_EVERY.toSeconds(),
                TimeUnit.SECONDS);
        if (!open.isEmpty()) {
            // a relay may answer a REQ identical to the crashed run's from a cache of that time (CodyTseng's keeps
            // results a second): read what the relays hold for the open jobs in until-pages, which no one asked
            StoredHistory.fetch(pool, inbox, now, config.publishDeadline(), this::onEvent);
        }
        return this;
    }

    /** Keeps ended jobs this long in the journal before forgetting them (set before {@link #start()}). */
    public ClientRole retain(Duration keep) {
        if (keep.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative");
        }
        retention = keep;
        return this;
    }

    /** Forgets jobs that ended longer ago than the retention (ClientJournal#pruneFinished); how many. */
    public int pruneFinished() {
        return journal.pruneFinished(now() - retention.toSeconds());
    }

    private void pruneQuietly() {
        try {
            pruneFinished();
        } catch (RuntimeException e) {
            reject("journal_prune_failed"); // counted and retried next hour; a prune never stops the client
        }
    }

    /** The open jobs {@link #start()} found in the journal and is finishing. */
    public List<ResumedJob> resumed() {
        return List.copyOf(resumed);
    }

    /**
     * Adds a listener to each step of a job as it happens, in words: (job id, step), for a progress display. Called
     * on the thread taking the step, before it goes on: "paid ... and journaled; proving ..." comes once the payment
     * is journaled and before the proof is published.
     */
    public void onProgress(BiConsumer<String, String> listener) {
        progressListeners.add(listener);
    }

    void progress(String jobId, String step) {
        progressListeners.forEach(l -> l.accept(jobId, step));
    }

    /** Streamed chunks as they arrive: (job id, chunk). */
    public void onChunks(BiConsumer<String, StreamChunk> listener) {
        chunkListener = listener;
    }

    /** Who pays the invoices of timing-external jobs (a NIP-90 gateway's customers); without one they fail. */
    public void payExternally(ExternalPayer payer) {
        external.payer(payer);
    }

    public CompletableFuture<JobOutcome> submit(JobSubmission submission) {
        return dispatch.submit(submission);
    }

    private void onEvent(Event e) {
        switch (FedaiKind.of(e.kind()).orElse(null)) {
            case QUOTE -> onQuote(e);
            case INVOICE -> onInvoice(e);
            case JOB_STATUS -> results.onStatus(e); // statuses and results end a job: ResultIntake
            case JOB_RESULT -> results.onResult(e);
            case STREAM_CHUNK -> onChunk(e);
            case null, default -> reject("unexpected_kind");
        }
    }

    void onQuote(Event e) {
        if (!config.routers().contains(e.pubkey())) {
            reject("quote_from_another_router");
            return;
        }
        if (directory.lightningKeyOf(e.pubkey()).isEmpty()) {
            reject("quote_from_unannounced_router");
            return;
        }
        Quote q = accepted(QuoteCodec.decode(e, config.keys(), now()));
        ClientJob job = q == null ? null : jobs.get(q.jobId());
        if (job == null) {
            if (q != null) {
                rejectUnknownJob(q.jobId(), "quote_for_unknown_job");
            }
            return;
        }
        synchronized (job) {
            if (e.id().equals(job.quoteEventId)) {
                return; // the quote acted on before a restart, delivered again
            }
            Optional<String> refusal = QuoteRules.quoteRefusal(q, e, job, publicKey());
            if (refusal.isPresent()) {
                reject(refusal.get());
                return;
            }
            job.quote = q;
            job.quoteEventId = e.id();
            job.quotes++;
            job.state = ClientJob.State.QUOTED;
            journal.recordQuote(job.jobId, org.fedai.nostr.EventJson.toJson(e));
            journal.recordState(job.jobId, job.router, job.state.name(), q.node(), now());
        }
        progress(job.jobId, "quoted: node " + org.fedai.nostr.Nip19.shortNpub(q.node()) + ", " + q.nodePriceMsat() + " msat + fee "
                + q.routerFeeMsat() + " msat" + (job.quotes > 1 ? " (failover quote " + job.quotes + ")" : ""));
        sendInput(job);
        job.takeEarly().forEach(this::onEvent); // an invoice or status that came before this quote
    }

    /**
     * Keeps an event of the quoted node that came before the quote it answers: after a restart the relays deliver
     * what they hold newest first, so the node's invoice arrives before the router's quote, and dropped it would
     * never come again. True when kept (up to {@link ClientJob#MAX_EARLY} per job).
     */
    boolean keptForQuote(ClientJob job, Event e) {
        return job.quote == null && job.keepEarly(e);
    }

    /** The input, sealed to the quoted node only. */
    void sendInput(ClientJob job) {
        publish(JobRequestCodec.encode(ClientRecovery.input(job), config.keys(), job.quote.node(), now()));
    }

    void onInvoice(Event e) {
        Invoice invoice = accepted(PaymentCodecs.decodeInvoice(e, config.keys(), now()));
        ClientJob job = invoice == null ? null : jobs.get(invoice.jobId());
        if (job == null) {
            if (invoice != null) {
                rejectUnknownJob(invoice.jobId(), "invoice_for_unknown_job");
            }
            return;
        }
        synchronized (job) {
            Quote q = job.quote;
            if (keptForQuote(job, e)) {
                return;
            }
            Optional<String> refusal = QuoteRules.invoiceRefusal(invoice, e, job);
            if (refusal.isPresent()) {
                reject(refusal.get());
                return;
            }
            ClientFlow flow = ClientFlow.of(q.timing());
            if (flow == ClientFlow.PARTIAL) {
                partial.onInvoice(job, invoice); // one invoice per part, each its share of the price
                return;
            }
            refusal = InvoiceRules.check(directory, invoice.bolt11(), q.node(), q.nodePriceMsat(), job.jobId, now());
            if (refusal.isPresent()) {
                reject(refusal.get());
                return;
            }
            if (flow == ClientFlow.DEFERRED) {
                deferred.onInvoice(job, invoice); // after, hold, atomic: paid on their own terms
                return;
            }
            if (flow == ClientFlow.EXTERNAL) {
                external.onCheckedInvoice(job, invoice); // paid outside fedai, proved with the node's reveal
                return;
            }
            job.invoicePaid = true;
            job.state = ClientJob.State.PAYING;
            journalState(job); // before the wallet is asked: a restart looks the payment up instead of forgetting it
        }
        progress(job.jobId, "invoice checked: " + invoice.amountMsat() + " msat to the node's declared key");
        payments.execute(() -> before.pay(job, invoice.bolt11()));
    }

    /** Publishes the proof until a relay takes it or the job is over ({@link ProofDelivery}). */
    void sendProof(ClientJob job, List<PaymentProof.Paid> paid) {
        proofs.deliver(() -> EventSigner.sign(PaymentCodecs.encodeProof(new PaymentProof(job.jobId, paid),
                config.keys(), job.router, now()), config.keys()), job::finished,
                () -> progress(job.jobId, "proof taken by a relay"));
    }

    /** A proof for a job the journal knows only by its payments (journals from before job records). */
    void publishProof(String jobId, String router, List<PaymentProof.Paid> paid) {
        publish(PaymentCodecs.encodeProof(new PaymentProof(jobId, paid), config.keys(), router, now()));
    }

    void journalState(ClientJob job) {
        journal.recordState(job.jobId, job.router, job.state.name(), job.quote == null ? null : job.quote.node(),
                now());
    }

    /** Starts the deliver_by clock of a new or resumed job and lets its events find it until the job ends. */
    private void adopt(ClientJob job, long deliverWithinSeconds) {
        live.track(job, timers.schedule(() -> fail(job, "no result by deliver_by"), deliverWithinSeconds,
                TimeUnit.SECONDS));
    }

    /** Counts {@code reason} for an event naming no job in memory, unless it is a late one for a job that ended. */
    void rejectUnknownJob(String jobId, String reason) {
        if (!live.endedRecently(jobId)) {
            reject(reason);
        }
    }

    void onChunk(Event e) {
        StreamChunk chunk = accepted(JobProgressCodecs.decodeChunk(e, config.keys()));
        ClientJob job = chunk == null ? null : jobs.get(chunk.jobId());
        if (job != null && job.quote != null && e.pubkey().equals(job.quote.node())) {
            chunkListener.accept(job.jobId, chunk);
        }
    }

    void complete(ClientJob job, String outputType, String output) {
        synchronized (job) {
            if (job.finished()) {
                return;
            }
            job.state = ClientJob.State.DONE;
            journal.recordState(job.jobId, job.router, job.state.name(), job.quote.node(), now());
        }
        job.outcome.complete(JobOutcome.succeeded(job, outputType, output));
    }

    void fail(ClientJob job, String why) {
        JobOutcome outcome;
        synchronized (job) {
            if (job.finished()) {
                return;
            }
            job.state = ClientJob.State.FAILED;
            journal.recordState(job.jobId, job.router, job.state.name(), null, now());
            Quote q = job.quote;
            outcome = new JobOutcome(job.jobId, false, q == null ? "" : q.node(), q == null ? 0 : q.nodePriceMsat(),
                    q == null ? 0 : q.routerFeeMsat(), job.paidMsat,
                    Duration.ofNanos(System.nanoTime() - job.startedNanos), "", "", why, job.quotes);
        }
        job.outcome.complete(outcome);
    }

    void publish(UnsignedEvent unsigned) {
        publishSigned(EventSigner.sign(unsigned, config.keys()));
    }

    void publishSigned(Event event) {
        pool.publish(event, config.publishDeadline());
    }

    private <T> T accepted(Decoded<T> decoded) {
        return counters.accepted(decoded);
    }

    void reject(String reason) {
        counters.count(reason);
    }

    /** Counts something worth seeing in {@link #rejections()} that is not a refusal (a recovery, a retry). */
    void count(String what) {
        counters.count(what);
    }

    /** Refusals (and proof re-publications, {@code proof_not_taken_retrying}) so far, by reason. */
    public Map<String, Long> rejections() {
        return counters.snapshot();
    }

    long now() {
        return config.clock().instant().getEpochSecond();
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        timers.shutdownNow();
        payments.shutdown();
    }
}
