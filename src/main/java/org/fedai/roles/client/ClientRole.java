package org.fedai.roles.client;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.Subscription;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.StreamChunk;
import org.fedai.store.ClientJournal;

/**
 * The client's side of event-kinds/market-flow.md: send a sealed spec to a router, the input to the node
 * it quotes, pay that node's invoice (and the router's fee) only after checking amount, payee and job
 * binding, prove payment to the router, and collect the hash-checked result. One method per incoming kind.
 */
public final class ClientRole implements AutoCloseable {

    /** {@code router} is the router's Nostr pubkey; it must have announced itself (31401). */
    public record Config(KeyPair keys, String router, Duration publishDeadline, InstantSource clock) {
        public static Config of(KeyPair keys, String router) {
            return new Config(keys, router, Duration.ofSeconds(10), InstantSource.system());
        }
    }

    private final Config config;
    private final RelayPool pool;
    private final ClientPayer payer;
    private final DeferredPayment deferred;
    private final PartialPayment partial;
    private final ClientJournal journal;
    private final LightningKeyDirectory directory = new LightningKeyDirectory();
    private final Map<String, ClientJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final ExecutorService payments = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("client-payments").daemon().factory());
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
            .name("client-timers").daemon().factory());
    private final List<Subscription> subscriptions = new ArrayList<>();
    private volatile BiConsumer<String, StreamChunk> chunkListener = (job, chunk) -> { };
    private volatile BiConsumer<String, String> progressListener = (job, step) -> { };

    public ClientRole(Config config, RelayPool pool, PaymentBackend wallet, ClientJournal journal) {
        this.config = config;
        this.pool = pool;
        this.payer = new ClientPayer(wallet, journal, config.clock());
        this.journal = journal;
        ClientHooks hooks = new ClientHooks(this, journal);
        this.deferred = new DeferredPayment(payer, wallet, directory, payments, timers, hooks, config.clock());
        this.partial = new PartialPayment(payer, directory, payments, deferred, hooks, config.clock());
    }

    Config config() {
        return config;
    }

    public String publicKey() {
        return config.keys().publicKey();
    }

    /**
     * Subscribes to what is addressed to this client and to the Lightning keys peers declare, and waits
     * (up to the publish deadline) for the relays' stored declarations, so the first quote finds them.
     */
    public ClientRole start() throws InterruptedException {
        String me = publicKey();
        java.util.concurrent.CountDownLatch stored = new java.util.concurrent.CountDownLatch(1);
        subscriptions.add(pool.subscribe(List.of(Filter.builder().kinds(31400, 31401).build()),
                new org.fedai.nostr.pool.EventListener() {
                    @Override
                    public void onEvent(Event e, String relayUrl) {
                        reject(directory.accept(e, now()));
                    }

                    @Override
                    public void onEose(String relayUrl) {
                        stored.countDown();
                    }
                }));
        subscriptions.add(pool.subscribe(List.of(
                Filter.builder().kinds(4401, 4402, 4405, 4406, 24401).tag('p', me).build()),
                (e, relay) -> onEvent(e)));
        stored.await(config.publishDeadline().toMillis(), TimeUnit.MILLISECONDS);
        resendProofs();
        return this;
    }

    /**
     * After a crash between paying and proving, the journal holds the preimages: prove them again, so money
     * paid is never money lost. (Results of jobs from before the restart are not collected yet.)
     */
    private void resendProofs() {
        for (ClientJournal.OpenJob open : journal.openJobs()) {
            List<ClientJournal.Payment> paid = journal.paymentsFor(open.jobId());
            if (!paid.isEmpty() && open.router().equals(config.router())) {
                List<PaymentProof.Paid> proofs = paid.stream()
                        .map(p -> new PaymentProof.Paid(p.bolt11(), p.preimage())).toList();
                publish(PaymentCodecs.encodeProof(new PaymentProof(open.jobId(), proofs), config.keys(), open.router(),
                        now()));
            }
        }
    }

    /** Each step of a job as it happens, in words: (job id, step), for a progress display. */
    public void onProgress(BiConsumer<String, String> listener) {
        progressListener = listener;
    }

    void progress(String jobId, String step) {
        progressListener.accept(jobId, step);
    }

    /** Streamed chunks as they arrive: (job id, chunk). */
    public void onChunks(BiConsumer<String, StreamChunk> listener) {
        chunkListener = listener;
    }

    public CompletableFuture<JobOutcome> submit(JobSubmission submission) {
        long now = now();
        JobRequest.Input probe = new JobRequest.Input("", submission.texts(), submission.params(), 0);
        JobRequest.Spec spec = new JobRequest.Spec(submission.model(), submission.task(), probe.commitment(),
                probe.bytes(), submission.units(), submission.maxPriceMsat(), submission.constraints(),
                submission.timing(), now + submission.deliverWithinSeconds(), now + submission.deliverWithinSeconds());
        UnsignedEvent unsigned = JobRequestCodec.encode(spec, config.keys(), config.router(), now);
        int pow = directory.powDifficultyOf(config.router());
        if (pow > 0) {
            // the router asks clients it has not served for proof of work; we cannot tell if it knows us, so pay it
            unsigned = org.fedai.nostr.Nip13.mine(unsigned, publicKey(), pow);
        }
        Event event = EventSigner.sign(unsigned, config.keys());
        ClientJob job = new ClientJob(event.id(), submission, spec, config.router());
        jobs.put(job.jobId, job);
        journal.recordState(job.jobId, config.router(), job.state.name(), null, now);
        timers.schedule(() -> fail(job, "no result by deliver_by"), submission.deliverWithinSeconds(),
                TimeUnit.SECONDS);
        pool.publish(event, config.publishDeadline()).thenAccept(r -> {
            if (!r.acceptedByAny()) {
                fail(job, "no relay took the job request: " + r.outcomes());
            } else {
                progress(job.jobId, "spec sent to the router");
            }
        });
        return job.outcome;
    }

    private void onEvent(Event e) {
        switch (e.kind()) {
            case 4401 -> onQuote(e);
            case 4402 -> onInvoice(e);
            case 4405 -> onStatus(e);
            case 4406 -> onResult(e);
            case 24401 -> onChunk(e);
            default -> reject("unexpected_kind");
        }
    }

    void onQuote(Event e) {
        if (!e.pubkey().equals(config.router())) {
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
            reject(q == null ? null : "quote_for_unknown_job");
            return;
        }
        synchronized (job) {
            if (job.finished() || job.state.ordinal() >= ClientJob.State.PAYING.ordinal()) {
                reject("quote_after_payment");
                return;
            }
            if (!q.inputSha256().equals(job.spec.inputSha256()) || !q.client().equals(publicKey())) {
                reject("quote_for_other_input");
                return;
            }
            if (q.totalMsat() > job.spec.maxPriceMsat()) {
                reject("quote_over_max_price");
                return;
            }
            job.quote = q;
            job.quoteEventId = e.id();
            job.quotes++;
            job.state = ClientJob.State.QUOTED;
            journal.recordState(job.jobId, job.router, job.state.name(), q.node(), now());
        }
        progress(job.jobId, "quoted: node " + q.node().substring(0, 12) + ", " + q.nodePriceMsat() + " msat + fee "
                + q.routerFeeMsat() + " msat" + (job.quotes > 1 ? " (failover quote " + job.quotes + ")" : ""));
        JobRequest.Input input = new JobRequest.Input(job.jobId, job.submission.texts(), job.submission.params(),
                job.spec.expiresAt());
        publish(JobRequestCodec.encode(input, config.keys(), q.node(), now()));
    }

    void onInvoice(Event e) {
        Invoice invoice = accepted(PaymentCodecs.decodeInvoice(e, config.keys(), now()));
        ClientJob job = invoice == null ? null : jobs.get(invoice.jobId());
        if (job == null) {
            reject(invoice == null ? null : "invoice_for_unknown_job");
            return;
        }
        synchronized (job) {
            Quote q = job.quote;
            if (q == null || !e.pubkey().equals(q.node())) {
                reject("invoice_from_unquoted_node");
                return;
            }
            if (job.invoicePaid || job.finished()) {
                reject("invoice_already_settled");
                return;
            }
            if (q.timing() == org.fedai.protocol.PaymentTiming.PARTIAL) {
                partial.onInvoice(job, invoice); // one invoice per part, each its share of the price
                return;
            }
            String problem = InvoiceRules.check(directory, invoice.bolt11(), q.node(), q.nodePriceMsat(), job.jobId, now());
            if (problem != null) {
                reject(problem);
                return;
            }
            if (q.timing().orderedBeforeProof()) {
                deferred.onInvoice(job, invoice); // after, hold, atomic: paid on their own terms
                return;
            }
            job.invoicePaid = true;
            job.state = ClientJob.State.PAYING;
        }
        progress(job.jobId, "invoice checked: " + invoice.amountMsat() + " msat to the node's declared key");
        payments.execute(() -> pay(job, invoice.bolt11()));
    }

    private void pay(ClientJob job, String nodeInvoice) {
        Quote q = job.quote;
        List<PaymentProof.Paid> paid = new ArrayList<>();
        String problem = payer.payOnce(job, nodeInvoice, q.nodePriceMsat(), paid);
        if (problem == null && q.routerFeeMsat() > 0) {
            String feeProblem = InvoiceRules.check(directory, q.routerFeeInvoice(), job.router, q.routerFeeMsat(), job.jobId,
                    now());
            problem = feeProblem != null ? feeProblem : payer.payOnce(job, q.routerFeeInvoice(), q.routerFeeMsat(), paid);
        }
        if (problem != null) {
            fail(job, "payment failed: " + problem);
            return;
        }
        synchronized (job) {
            job.state = ClientJob.State.PAID;
            journal.recordState(job.jobId, job.router, job.state.name(), q.node(), now());
        }
        publish(PaymentCodecs.encodeProof(new PaymentProof(job.jobId, paid), config.keys(), job.router, now()));
        progress(job.jobId, "paid " + job.paidMsat + " msat peer to peer; proof sent to the router");
    }

    void onStatus(Event e) {
        JobStatus s = accepted(JobProgressCodecs.decodeStatus(e));
        ClientJob job = s == null ? null : jobs.get(s.jobId());
        if (job == null || job.quote == null || !e.pubkey().equals(job.quote.node())) {
            reject(s == null ? null : "status_from_unquoted_node");
            return;
        }
        progress(job.jobId, "node status: " + s.state().code() + (s.message().isEmpty() ? "" : " (" + s.message() + ")"));
        if (s.state() == JobStatus.State.ERROR) {
            fail(job, "node reported: " + s.message());
        }
    }

    void onResult(Event e) {
        JobResult part = accepted(JobProgressCodecs.decodeResult(e, config.keys()));
        ClientJob job = part == null ? null : jobs.get(part.jobId());
        if (job == null || job.quote == null || !e.pubkey().equals(job.quote.node())) {
            reject(part == null ? null : "result_from_unquoted_node");
            return;
        }
        JobOutcome outcome;
        synchronized (job) {
            if (job.finished() || job.parts.stream().anyMatch(p -> p.part() == part.part())) {
                return;
            }
            if (job.quote.timing() == org.fedai.protocol.PaymentTiming.PARTIAL) {
                partial.onPart(job, part); // each part a whole output of its own
                return;
            }
            job.parts.add(part);
            if (job.parts.size() < part.parts()) {
                progress(job.jobId, "result part " + job.parts.size() + " of " + part.parts());
                return;
            }
            if (job.quote.timing().orderedBeforeProof()) {
                deferred.onDelivered(job); // done once paid and proved (atomic: once opened)
                return;
            }
            Decoded<String> whole = JobProgressCodecs.assemble(job.parts);
            if (!(whole instanceof Decoded.Accepted<String> ok)) {
                reject("result_inconsistent");
                job.parts.clear();
                return;
            }
            job.state = ClientJob.State.DONE;
            journal.recordState(job.jobId, job.router, job.state.name(), job.quote.node(), now());
            outcome = JobOutcome.succeeded(job, part.outputType(), ok.value());
        }
        job.outcome.complete(outcome);
    }

    void onChunk(Event e) {
        StreamChunk chunk = accepted(JobProgressCodecs.decodeChunk(e, config.keys()));
        ClientJob job = chunk == null ? null : jobs.get(chunk.jobId());
        if (job != null && job.quote != null && e.pubkey().equals(job.quote.node())) {
            chunkListener.accept(job.jobId, chunk);
        }
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
        pool.publish(EventSigner.sign(unsigned, config.keys()), config.publishDeadline());
    }

    private <T> T accepted(Decoded<T> decoded) {
        return switch (decoded) {
            case Decoded.Accepted<T> a -> a.value();
            case Decoded.Rejected<T> r -> {
                reject(r.rejection().reason().code());
                yield null;
            }
        };
    }

    void reject(String reason) {
        if (reason != null) {
            rejected.computeIfAbsent(reason, k -> new LongAdder()).increment();
        }
    }

    /** Refusals so far, by reason. */
    public Map<String, Long> rejections() {
        Map<String, Long> out = new java.util.TreeMap<>();
        rejected.forEach((k, v) -> out.put(k, v.sum()));
        return out;
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
