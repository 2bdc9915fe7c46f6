package org.fedai.roles.node;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.pool.Subscription;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.FedaiKind;
import org.fedai.runner.Runner;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market node (event-kinds/market-flow.md): takes a router's quote, accepts and invoices the client, checks
 * the client's input against the quoted commitment, runs the job once the quoting router's work order says it
 * is paid (and its own wallet agrees), then sends the result, {@code success} and its metering record. It
 * publishes its manifest and heartbeats meanwhile. The job state machine is
 * {@link org.fedai.roles.node.machine.NodeJobMachine}, fed by {@link NodeJobs}; this class owns its threads: one
 * state thread for every transition, worker threads for the runner, timers for the manifest, heartbeats and
 * deadline sweeps. Bad input is counted by reason and never fatal.
 */
public final class NodeRole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRole.class);

    private final NodeConfig config;
    private final InstantSource clock;
    private final RelayPort pool;
    private final NodeJobJournal journal;
    private final NodeOutbox outbox;
    private final NodePresence presence;
    private final NodeJobs machine;
    private final ExecutorService state;
    private final ExecutorService workers;
    private final ExecutorService walletCalls;
    private final ScheduledExecutorService timers;
    private volatile Subscription subscription;
    private volatile org.fedai.payment.PaymentBackend.Subscription settlements;
    private volatile boolean closed;
    /** Whether the node keeps spare invoices ahead for every router it serves (fedai node --spares-ahead). */
    private volatile boolean sparesAhead;
    /** How long a finished, settled job stays in the journal (fedai node --retain-days). */
    private volatile java.time.Duration retention = org.fedai.store.Retention.DEFAULT;

    /** The pool, journal, wallet and runner stay the caller's: {@link #close()} leaves them open. */
    public NodeRole(NodeConfig config, InstantSource clock, RelayPort pool, NodeJobJournal journal,
            PaymentBackend wallet, Runner runner, CapabilityProfile profile) {
        this.config = config;
        this.clock = clock;
        this.pool = pool;
        this.journal = journal;
        this.outbox = new NodeOutbox(journal, pool, config.publishDeadline());
        this.presence = new NodePresence(config, clock, pool,
                expiresAt -> NodeManifest.build(config, profile, runner.describe(), wallet, expiresAt), this::load);
        this.state = Executors.newSingleThreadExecutor(r -> daemon(r, "node-state"));
        this.workers = Executors.newFixedThreadPool(config.maxConcurrentJobs(), r -> daemon(r, "node-runner"));
        // one virtual thread per wallet call: over NWC each waits two relay hops, and a settlement must not queue
        // behind a spare invoice being made or a sweep's question (every answer goes back through the state thread)
        this.walletCalls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("node-wallet-", 0).factory());
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "node-timers"));
        this.machine = new NodeJobs(config, clock, journal, wallet, runner, outbox, workers, walletCalls,
                this::onState);
    }

    /** Resumes the journal's open jobs, subscribes, and starts the manifest, heartbeats and deadline sweeps. */
    public void start() throws InterruptedException {
        try {
            state.submit(machine::resume).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot resume the node journal", e.getCause());
        }
        // from just before the newest event acted on: whatever arrived while the node was down comes again
        long newest = journal.newestProcessedCreatedAt();
        long since = (newest > 0 ? newest : now()) - config.resubscribeMargin().toSeconds();
        Filter inbox = Filter.builder().kinds(FedaiKind.QUOTE.number(), FedaiKind.JOB_REQUEST.number(),
                FedaiKind.WORK_ORDER.number()).tag('p', publicKey().hex()).since(since).build();
        List<Filter> filters = new java.util.ArrayList<>(List.of(inbox));
        if (sparesAhead) { // routers' announcements too: the node keeps spare invoices ahead for each (SparesAhead)
            filters.add(Filter.builder().kinds(FedaiKind.ROUTER_ANNOUNCEMENT.number()).tag('t', "fedai").build());
        }
        subscription = pool.subscribe(filters, (EventListener) (event, relay) -> onState(
                () -> machine.handle(event)));
        try {
            settlements = machine.watchSettlements(this::onState);
        } catch (RuntimeException e) {
            // a wallet that cannot notify: every sweep asks it instead, only later
            LOG.info("wallet settlement notices unavailable ({}); relying on sweeps", e.toString());
        }
        timers.scheduleAtFixedRate(presence::publishManifest, 0, presence.refreshPeriod().toMillis(),
                TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(presence::publishHeartbeat, 0, config.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        long sweep = config.sweepInterval().toMillis();
        timers.scheduleAtFixedRate(() -> onState(machine::sweep), sweep, sweep, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(() -> onState(this::pruneSettled), 0,
                org.fedai.store.Retention.PRUNE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Keeps spare invoices ahead of any job for every router it serves (set before {@link #start()}): a first job of
     * one text then pays on its quote. Off by default: a client pays a spare before the node has acknowledged the job,
     * so a node that stops after handing its spares over takes payments for jobs it will not do until its router
     * notices; the more spares are out, the more such payments (docs/threat-model.md).
     */
    public NodeRole keepSparesAhead(boolean on) {
        sparesAhead = on;
        return this;
    }

    /** Keeps finished, settled jobs this long before the journal forgets them (set before {@link #start()}). */
    public NodeRole retain(java.time.Duration keep) {
        if (keep.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative");
        }
        retention = keep;
        return this;
    }

    /** Forgets what nothing is owed on any more and is older than the retention; the number of jobs forgotten. */
    public int pruneSettled() {
        journal.spares().prune(now()); // expired: no router may quote them any more
        int pruned = journal.pruneSettled(now() - retention.toSeconds());
        if (pruned > 0) {
            LOG.info("pruned {} settled jobs older than {}", pruned, retention);
        }
        return pruned;
    }

    public PublicKey publicKey() {
        return PublicKey.of(config.keys().publicKey());
    }

    /** The manifest as last published (or as it would be now). */
    public CapabilityManifest manifest() {
        return presence.current();
    }

    /** Rejected events by reason code, e.g. {@code wrong_router}, {@code inconsistent}, {@code not_for_us}. */
    public Map<String, Long> rejections() {
        return machine.rejections().byReasons();
    }

    /**
     * What the node counted, for {@code --stats}: rejections as {@code refused.<kind>:<reason>}, and its jobs by
     * state as {@code jobs.<state>}.
     */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        machine.rejections().snapshot().forEach((k, v) -> out.put("refused." + k, v));
        journal.jobs().forEach(job -> out.merge("jobs." + job.state().name().toLowerCase(java.util.Locale.ROOT), 1L,
                Long::sum));
        return out;
    }

    public long rejected(String reason) {
        return machine.rejections().byReason(reason);
    }

    /** Every job the journal holds, oldest first. */
    public List<NodeJobOutcome> outcomes() {
        return journal.jobs().stream().map(job -> NodeJobOutcome.of(publicKey(), job)).toList();
    }

    /** Called on the state thread when a job ends (DONE or FAILED). */
    public void onOutcome(Consumer<NodeJobOutcome> listener) {
        machine.addListener(listener);
    }

    private NodePresence.Load load() {
        int active = 0;
        int queued = 0;
        for (NodeJob job : journal.openJobs()) {
            if (job.state() == NodeJobState.RUNNING) {
                active++;
            } else if (job.state() == NodeJobState.PAID) {
                queued++;
            }
        }
        return new NodePresence.Load(active, queued);
    }

    private void onState(Runnable work) {
        if (closed) {
            return;
        }
        try {
            state.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    machine.rejections().increment("internal_error");
                    LOG.warn("node handler failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("node closing; dropped work");
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Stops handling events and timers; a run still going is dropped and re-run by the next start. */
    @Override
    public void close() {
        closed = true;
        machine.close();
        outbox.close();
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        org.fedai.payment.PaymentBackend.Subscription paid = settlements;
        if (paid != null) {
            paid.close();
        }
        timers.shutdownNow();
        state.shutdown();
        workers.shutdownNow();
        walletCalls.shutdownNow();
        try {
            state.awaitTermination(5, TimeUnit.SECONDS);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
