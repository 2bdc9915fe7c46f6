package org.fedai.roles.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.fedai.domain.JobId;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.pool.StoredHistory;
import org.fedai.nostr.pool.Subscription;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentCodecs;
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
    /** How long closing waits for proofs still owed (a node's settlement reaches the wallet within a few hops). */
    static final java.time.Duration OWED_PROOFS_WAIT = java.time.Duration.ofSeconds(10);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClientRole.class);

    private final ClientConfig config;
    private final RelayPort pool;
    private final ClientPayer payer;
    private final ClientJournal journal;
    private final LightningKeyDirectory directory = new LightningKeyDirectory();
    private final LiveJobs live = new LiveJobs();
    private final Map<JobId, ClientJob> jobs = live.byId();
    private volatile Duration retention = org.fedai.store.Retention.DEFAULT;
    private final Counters counters = new Counters();
    private final ClientThreads threads = ClientThreads.start();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private volatile org.fedai.payment.PaymentBackend.Subscription heldPayments;
    private volatile BiConsumer<JobId, StreamChunk> chunkListener = (job, chunk) -> { };
    private final List<BiConsumer<JobId, String>> progressListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<ResumedJob> resumed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ExternalPayer outside = ExternalPayer.NONE;
    /** What the shell pieces may do through this role (they hold this, never the role). */
    private final ClientSteps steps = new ClientRoleSteps(this);
    private final ClientJobMachine machine;
    private final ClientEffects effects;
    private final SpecDispatch dispatch;

    public ClientRole(ClientConfig config, RelayPort pool, PaymentBackend wallet, ClientJournal journal) {
        this.config = config;
        this.pool = pool;
        this.payer = new ClientPayer(wallet, journal, config.clock());
        this.journal = journal;
        this.machine = new ClientJobMachine(new ClientContext() {
            @Override
            public PublicKey me() {
                return publicKey();
            }

            @Override
            public Optional<String> lightningKeyOf(PublicKey nostrKey) {
                return directory.lightningKeyOf(nostrKey);
            }

            @Override
            public boolean paysExternally() {
                return outside != ExternalPayer.NONE;
            }
        });
        this.effects = new ClientEffects(steps, pool, journal, payer, threads);
        this.dispatch = new SpecDispatch(steps, pool, journal, directory, this::adopt, threads.timers());
    }

    ClientConfig config() {
        return config;
    }

    public PublicKey publicKey() {
        return PublicKey.of(config.keys().publicKey());
    }

    /**
     * Subscribes to what is addressed to this client and to the Lightning keys peers declare, and waits
     * (up to the publish deadline) for the relays' stored declarations, so the first quote finds them. Open
     * jobs in the journal are taken up again first ({@link ClientRecovery}); {@link #resumed()} lists them.
     */
    public ClientRole start() throws InterruptedException {
        PublicKey me = publicKey();
        PublicKey owner = journal.claim(me);
        if (!owner.equals(me)) {
            throw new IllegalStateException("this journal belongs to client " + owner + ", not " + me
                    + ": its results are sealed to that key");
        }
        subscriptions.add(directory.follow(pool, this::now, this::count, config.publishDeadline()));
        heldPayments = effects.watchHeldPayments();
        ClientRecovery recovery = new ClientRecovery(steps, journal, payer, pool);
        List<ClientRecovery.Resumed> open = recovery.load();
        long now = now();
        for (ClientRecovery.Resumed r : open) {
            adopt(r.job(), Math.max(r.job().spec.deliverBy() - now, config.publishDeadline().toSeconds()));
            resumed.add(new ResumedJob(r.job().jobId, r.journaledState().name(), r.job().outcome));
        }
        // first what each job owes the market as journaled (its input, its proof), queued on the job thread before
        // any stored event can move a job on: an invoice read below would take a QUOTED job to PAYING before its
        // input went out
        recovery.act(open);
        Filter inbox = Filter.builder().kinds(FedaiKind.QUOTE.number(), FedaiKind.INVOICE.number(),
                FedaiKind.JOB_STATUS.number(), FedaiKind.JOB_RESULT.number(), FedaiKind.STREAM_CHUNK.number()).tag('p', me.hex())
                .since(ClientRecovery.since(open, now, RESUBSCRIBE_MARGIN_SECONDS)).build();
        subscriptions.add(pool.subscribe(List.of(inbox), (e, relay) -> onEvent(e)));
        threads.timers().scheduleAtFixedRate(this::pruneQuietly, 0, org.fedai.store.Retention.PRUNE_EVERY.toSeconds(),
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
            count("journal_prune_failed"); // counted and retried next hour; a prune never stops the client
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
    public void onProgress(BiConsumer<JobId, String> listener) {
        progressListeners.add(listener);
    }

    void progress(JobId jobId, String step) {
        progressListeners.forEach(l -> l.accept(jobId, step));
    }

    /** Streamed chunks as they arrive: (job id, chunk). */
    public void onChunks(BiConsumer<JobId, StreamChunk> listener) {
        chunkListener = listener;
    }

    /** Who pays the invoices of timing-external jobs (a NIP-90 gateway's customers); without one they fail. */
    public void payExternally(ExternalPayer payer) {
        outside = payer;
    }

    ExternalPayer outsidePayer() {
        return outside;
    }

    public CompletableFuture<JobOutcome> submit(JobSubmission submission) {
        return dispatch.submit(submission);
    }

    void tryNextRouter(ClientJob job) {
        dispatch.tryNext(job);
    }

    /** An event from the relays: taken on the job thread, in the order events came. */
    private void onEvent(Event e) {
        onJobThread(() -> take(e));
    }

    /** Decodes an event addressed to this client, finds its job and hands it to the job's machine (job thread). */
    void take(Event e) {
        switch (FedaiKind.of(e.kind()).orElse(null)) {
            case QUOTE -> onQuote(e);
            case INVOICE -> {
                Invoice invoice = accepted(PaymentCodecs.decodeInvoice(e, config.keys(), now()));
                if (invoice != null) {
                    apply(invoice.jobId(), "invoice_for_unknown_job", new ClientInput.InvoiceReceived(e, invoice));
                }
            }
            case JOB_STATUS -> {
                JobStatus status = accepted(JobProgressCodecs.decodeStatus(e));
                if (status != null) {
                    apply(status.jobId(), "status_from_unquoted_node", new ClientInput.StatusReceived(e, status));
                }
            }
            case JOB_RESULT -> {
                JobResult part = accepted(JobProgressCodecs.decodeResult(e, config.keys()));
                if (part != null) {
                    apply(part.jobId(), "result_from_unquoted_node", new ClientInput.ResultReceived(e, part));
                }
            }
            case STREAM_CHUNK -> onChunk(e);
            case null, default -> count("unexpected_kind");
        }
    }

    private void onQuote(Event e) {
        PublicKey router = PublicKey.of(e.pubkey()); // a verified event's author is a key
        if (!config.routers().contains(router)) {
            count("quote_from_another_router");
            return;
        }
        if (directory.lightningKeyOf(router).isEmpty()) {
            count("quote_from_unannounced_router");
            return;
        }
        Quote q = accepted(QuoteCodec.decode(e, config.keys(), now()));
        if (q != null) {
            apply(q.jobId(), "quote_for_unknown_job", new ClientInput.QuoteReceived(e, q));
        }
    }

    /** Hands {@code input} to the open job {@code jobId}; {@code unknown} is counted when there is none. */
    private void apply(String jobIdHex, String unknown, ClientInput input) {
        Optional<JobId> jobId = JobId.parse(jobIdHex);
        ClientJob job = jobId.map(jobs::get).orElse(null);
        if (job != null) {
            apply(job, input);
        } else if (jobId.isEmpty() || !live.endedRecently(jobId.get())) {
            count(unknown); // not a late event for a job that ended
        }
    }

    /** One transition of {@code job}'s machine, carried out (job thread only). */
    private void apply(ClientJob job, ClientInput input) {
        try {
            effects.carryOut(job, machine.on(input, job, config.clock().millis()));
        } catch (RuntimeException e) {
            // a bug or a store failure costs this input, counted, never the job thread: the journal has the job
            count("client_step_failed: " + e.getClass().getSimpleName());
        }
    }

    /** Hands {@code input} to {@code job}'s machine on the job thread, after what came before it. */
    void feed(ClientJob job, ClientInput input) {
        onJobThread(() -> apply(job, input));
    }

    private void onJobThread(Runnable task) {
        try {
            threads.jobs().execute(task);
        } catch (RejectedExecutionException closing) {
            // closed: what was paid is journaled, the next start proves it
        }
    }

    /** Starts the deliver_by clock of a new or resumed job and lets its events find it until the job ends. */
    private void adopt(ClientJob job, long deliverWithinSeconds) {
        live.track(job, threads.timers().schedule(() -> feed(job, new ClientInput.DeadlinePassed()),
                deliverWithinSeconds, TimeUnit.SECONDS));
    }

    private void onChunk(Event e) {
        StreamChunk chunk = accepted(JobProgressCodecs.decodeChunk(e, config.keys()));
        ClientJob job = chunk == null ? null : JobId.parse(chunk.jobId()).map(jobs::get).orElse(null);
        if (job != null && job.quote != null && e.pubkey().equals(job.quote.node())) {
            chunkListener.accept(job.jobId, chunk);
        }
    }

    private <T> T accepted(Decoded<T> decoded) {
        return counters.accepted(decoded);
    }

    /** Counts a refusal, or something worth seeing in {@link #rejections()} that is not one (a recovery, a retry). */
    void count(String reason) {
        counters.count(reason);
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
        try {
            // a result handed over before its payment's answer still owes the router its proof: it goes first
            if (!effects.awaitOwedProofs(OWED_PROOFS_WAIT)) {
                LOG.warn("closing with proofs still owed after {}: the journal keeps the preimages", OWED_PROOFS_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriptions.forEach(Subscription::close);
        if (heldPayments != null) {
            heldPayments.close();
        }
        threads.close();
    }
}
