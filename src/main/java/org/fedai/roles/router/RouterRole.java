package org.fedai.roles.router;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.AllRelaysStored;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.Subscription;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.PaymentProofVerifier;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.roles.common.Counters;
import org.fedai.roles.trust.BondedStakeView;
import org.fedai.roles.trust.SlashVerdict;
import org.fedai.roles.trust.StakeView;
import org.fedai.store.NodeStats;
import org.fedai.store.PaymentHashRegistry;
import org.fedai.store.RouterJobRow;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market router (event-kinds/market-flow.md): announces its terms, keeps the live-node registry, and
 * for each spec p-tagged to it quotes a node (failing over to the fallback when {@code accepted} does not
 * come by accept_by), verifies payment proofs, sends work orders, and countersigns metering records.
 * It also keeps the market honest (event-kinds/4409, 31402, 31403): it weighs nodes' 31402 stake bonds in
 * selection, attests each node's observed performance in 31403, and slashes (4409) a node that accepted, was
 * ordered and delivered nothing by deliver_by; a slashed node gets no further work from this router.
 * Every handler runs on one thread of the role's own, so the state machine needs no locks and never holds
 * back the pool; every transition is in the {@link RouterLedger} before its event is published.
 */
public final class RouterRole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterRole.class);
    private static final int MAX_QUEUED_EVENTS = 10_000;
    /** Effective bond units at which the default stake view saturates (weight 1). */
    public static final double DEFAULT_STAKE_CAP_UNITS = 1000;

    final RouterConfig config;
    final RelayPool pool;
    final RouterLedger ledger;
    final PaymentBackend wallet;
    final NodeRegistry registry;
    final SelectionPolicy selection;
    /** What nodes without a metered job here may cost a client: their share, their place, their accept_by. */
    final NewcomerLimits newcomers = NewcomerLimits.DEFAULT;
    final PaymentCheck payments;
    final StakeView stake;
    private final Set<String> slashedNodes;
    private final Attestations attestations;
    private final NonDeliveryWatch nonDelivery;
    final MisrepresentationWatch misrepresentation;
    final Counters counters = new Counters();
    final Counters activity = new Counters();
    /** Clients whose specs may use timing external: this router's own NIP-90 gateways. */
    final java.util.Set<String> externalPayers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor;
    private final Map<String, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Cache<String, AtomicInteger> ratePerClient;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<Consumer<RoutedJob>> outcomeListeners =
            new CopyOnWriteArrayList<>();
    private final JobFlow flow;
    private final PersistentPublisher publisher;
    private final Probation probation;
    private final RouterPresence presence;
    private volatile boolean closed;
    private volatile java.time.Duration retention = org.fedai.store.Retention.DEFAULT;

    public RouterRole(RouterConfig config, RelayPool pool, RouterLedger ledger, PaymentHashRegistry spentHashes,
            PaymentBackend wallet) {
        this(config, pool, ledger, spentHashes, wallet, null);
    }

    /** A router under {@code probation} (null: none, for a router its host vetted, as in the embedded demo). */
    public RouterRole(RouterConfig config, RelayPool pool, RouterLedger ledger, PaymentHashRegistry spentHashes,
            PaymentBackend wallet, Probation probation) {
        this(config, pool, ledger, spentHashes, wallet, new DefaultPricingPolicy(config.fee()),
                defaultStake(config), probation);
    }

    /**
     * Every well-formed bond counts, capped at {@link #DEFAULT_STAKE_CAP_UNITS}: the selection policy caps what
     * stake can buy, so an unvetted bonder can order good nodes but never lift a poor one.
     */
    public static BondedStakeView defaultStake(RouterConfig config) {
        return new BondedStakeView(new BondedStakeView.Config(DEFAULT_STAKE_CAP_UNITS, bonder -> true), config.clock());
    }

    public RouterRole(RouterConfig config, RelayPool pool, RouterLedger ledger, PaymentHashRegistry spentHashes,
            PaymentBackend wallet, PricingPolicy pricing, StakeView stake) {
        this(config, pool, ledger, spentHashes, wallet, pricing, stake, null);
    }

    public RouterRole(RouterConfig config, RelayPool pool, RouterLedger ledger, PaymentHashRegistry spentHashes,
            PaymentBackend wallet, PricingPolicy pricing, StakeView stake, Probation probation) {
        this.config = config;
        this.probation = probation;
        this.pool = pool;
        this.ledger = ledger;
        this.wallet = wallet;
        this.stake = stake;
        this.slashedNodes = ConcurrentHashMap.newKeySet();
        this.slashedNodes.addAll(ledger.slashedNodes());
        this.registry = new NodeRegistry(config.clock(), counters, ledger.nodeStats(), this::statsChanged);
        this.selection = new DefaultSelectionPolicy(pricing, registry::stats, stake);
        this.payments = new PaymentCheck(new PaymentProofVerifier(spentHashes, Duration.ofSeconds(30)), wallet, ledger);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "router-" + config.routerId());
            t.setDaemon(true);
            return t;
        });
        this.ratePerClient = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(config.clock().millis())).build();
        this.publisher = new PersistentPublisher(pool, config.publishDeadline(), config.clock(), activity,
                this::schedule, () -> closed);
        this.flow = new JobFlow(this);
        this.attestations = new Attestations(this);
        this.nonDelivery = new NonDeliveryWatch(this);
        this.misrepresentation = new MisrepresentationWatch(this);
        this.presence = new RouterPresence(this, probation);
    }

    private void statsChanged(String node, NodeStats stats) {
        ledger.saveNodeStats(node, stats);
        attestations.changed(node);
    }

    /** Announces, subscribes, and resumes the accept_by clocks of jobs quoted before a restart. */
    public void start() {
        String me = config.keys().publicKey();
        long now = nowSeconds();
        long last = ledger.lastProcessed();
        long since = Math.max(0, (last == 0 ? now : last) - config.resubscribeMargin().toSeconds());
        java.util.concurrent.CountDownLatch manifestsStored = new java.util.concurrent.CountDownLatch(1);
        subscriptions.add(pool.subscribe(List.of(Filter.builder().kinds(FedaiKind.CAPABILITY_MANIFEST.number())
                .tag('t', "fedai").build()), new AllRelaysStored(listener(false), pool.relayUrls().size(),
                manifestsStored::countDown)));
        subscriptions.add(pool.subscribe(List.of(Filter.builder().kinds(FedaiKind.HEARTBEAT.number())
                .tag('t', "fedai").since(now - 60).build()), listener(false)));
        // the registry is rebuilt from the manifests the relays hold before any spec is read: a restarted router
        // must not answer its first specs no_capable_node (bounded: a relay that never says EOSE costs seconds)
        try {
            manifestsStored.await(Math.min(5_000, config.publishDeadline().toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriptions.add(pool.subscribe(List.of(Filter.builder().kinds(FedaiKind.JOB_REQUEST.number(),
                FedaiKind.PAYMENT_PROOF.number(), FedaiKind.JOB_STATUS.number(), FedaiKind.METERING_RECORD.number())
                .tag('p', me).since(since).build()), listener(true)));
        if (stake instanceof BondedStakeView || probation != null) {
            subscriptions.add(pool.subscribe(List.of(Filter.builder().kinds(FedaiKind.STAKE_BOND.number())
                    .tag('t', "fedai").build()), listener(false)));
        }
        executor.execute(() -> {
            for (RouterJobRow job : ledger.jobsIn(RouterJobState.QUOTED)) {
                ledger.quote(job.activeQuoteId()).ifPresent(q -> startAcceptClock(q,
                        Math.max(0, TimeUnit.SECONDS.toMillis(q.acceptBy()) - config.clock().millis())));
            }
        });
        executor.scheduleAtFixedRate(presence::announce, 0, config.announceInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        executor.scheduleAtFixedRate(presence::heartbeat, 0, RouterPresence.HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        executor.scheduleAtFixedRate(() -> guarded("31403", attestations::publishAll), 0,
                Attestations.INTERVAL_SECONDS, TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(() -> guarded("4409", nonDelivery::sweep), NonDeliveryWatch.SWEEP_MS,
                NonDeliveryWatch.SWEEP_MS, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(() -> guarded("prune", this::pruneSettled), 0,
                org.fedai.store.Retention.PRUNE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Keeps finished jobs that owe nothing this long before the ledger forgets them (set before {@link #start()}). */
    public RouterRole retain(java.time.Duration keep) {
        if (keep.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative");
        }
        retention = keep;
        return this;
    }

    /** Forgets finished jobs older than the retention that owe nothing (RouterLedger#pruneSettled). */
    public int pruneSettled() {
        int pruned = ledger.pruneSettled(nowSeconds() - retention.toSeconds());
        if (pruned > 0) {
            LOG.info("pruned {} finished jobs older than {}", pruned, retention);
        }
        return pruned;
    }

    /** The router's public key (hex). */
    public String publicKey() {
        return config.keys().publicKey();
    }

    /** What was refused, by {@code <kind>:<reason>} (e.g. {@code 4400:replay}, {@code 4403:already_spent}). */
    /**
     * Lets {@code gatewayPubkey} send specs of timing external: a NIP-90 gateway this router's operator runs, whose
     * customers pay the node directly and whose proofs are the preimages nodes reveal (market-flow.md).
     */
    public void admitExternalPayer(String gatewayPubkey) {
        externalPayers.add(gatewayPubkey);
    }

    public Counters counters() {
        return counters;
    }

    /**
     * What was done, by {@code <kind>:<event>}: {@code 4401:sent}, {@code 4401:accept_timeout},
     * {@code 4401:no_candidate_left}, {@code 4403:debt_cleared}, {@code 4404:paid|pay_after}, {@code 4408:sent}.
     */
    public Counters activity() {
        return activity;
    }

    public NodeRegistry registry() {
        return registry;
    }

    /** The cheapest total (price and fee) a node selected for {@code spec} would cost, whatever its max price. */
    public java.util.OptionalLong cheapestTotalMsat(org.fedai.protocol.JobRequest.Spec spec, String client) {
        return selection.cheapestTotalMsat(new SelectionPolicy.Request(client, spec, slashedNodes(),
                config.policy().maxJobMsat()), servedLiveNodes());
    }

    /** The live nodes this router may quote: all of them, or only {@link RouterConfig#servedNodes()} when set. */
    List<LiveNode> servedLiveNodes() {
        List<LiveNode> live = registry.live();
        return config.servedNodes().isEmpty() ? live
                : live.stream().filter(n -> config.servedNodes().contains(n.pubkey())).toList();
    }

    /** Every job the router has quoted, oldest first, as the demo prints them. */
    public List<RoutedJob> jobs() {
        return ledger.allJobs().stream().map(j -> RoutedJob.of(ledger, j)).filter(Objects::nonNull).toList();
    }

    /** Calls {@code listener} (on the role's thread) each time a job is metered or fails. */
    public void onOutcome(Consumer<RoutedJob> listener) {
        outcomeListeners.add(listener);
    }

    void outcome(String jobId) {
        presence.standingMayHaveChanged(); // a metered job may complete probation
        RoutedJob job = ledger.job(jobId).map(j -> RoutedJob.of(ledger, j)).orElse(null);
        for (Consumer<RoutedJob> listener : outcomeListeners) {
            try {
                listener.accept(job);
            } catch (RuntimeException e) {
                LOG.warn("outcome listener failed", e);
            }
        }
    }

    /** The announcement as it is published now. */
    public RouterAnnouncement announcement() {
        return presence.announcement();
    }

    /** This router's probation, when it runs under one (the CLI router always does). */
    public Optional<Probation> probation() {
        return Optional.ofNullable(probation);
    }

    private EventListener listener(boolean addressedToUs) {
        return (event, relay) -> {
            if (closed) {
                return;
            }
            // the pool bounds each subscription's queue; this bounds ours, so a flood costs events, not memory
            if (queued.incrementAndGet() > MAX_QUEUED_EVENTS) {
                queued.decrementAndGet();
                counters.increment(event.kind() + ":overloaded");
                return;
            }
            executor.execute(() -> {
                queued.decrementAndGet();
                handle(event, addressedToUs);
            });
        };
    }

    /** One handler per kind; bad input is counted, never fatal. */
    private void handle(Event event, boolean addressedToUs) {
        try {
            FedaiKind kind = FedaiKind.of(event.kind()).orElse(null);
            if (kind == null) {
                counters.increment(event.kind() + ":unexpected_kind");
                return;
            }
            switch (kind) {
                case CAPABILITY_MANIFEST -> {
                    if (registry.onManifest(event)) {
                        misrepresentation.onManifest(event);
                    }
                }
                case HEARTBEAT -> registry.onHeartbeat(event);
                case JOB_REQUEST -> flow.onSpec(event);
                case JOB_STATUS -> flow.onStatus(event);
                case PAYMENT_PROOF -> flow.onProof(event);
                case METERING_RECORD -> flow.onMetering(event);
                case STAKE_BOND -> onBond(event);
                default -> counters.increment(event.kind() + ":unexpected_kind");
            }
            if (addressedToUs) {
                ledger.advanceProcessed(event.createdAt());
            }
        } catch (RuntimeException e) {
            counters.increment(event.kind() + ":internal_error");
            LOG.warn("router failed on event {} (kind {})", event.id(), event.kind(), e);
        }
    }

    private void onBond(Event event) {
        if (probation != null) {
            probation.onBond(event); // bonds naming this router count toward its graduation
            presence.standingMayHaveChanged();
        }
        if (stake instanceof BondedStakeView bonded && !bonded.onBond(event)) {
            counters.increment("31402:refused"); // the view counts the reason: BondedStakeView.rejections()
        }
    }

    /** Node keys slashed by this router (from the ledger, so across restarts): they get no work from it. */
    public Set<String> slashedNodes() {
        return Set.copyOf(slashedNodes);
    }

    boolean isSlashed(String node) {
        return slashedNodes.contains(node);
    }

    /** Publishes the node's 31403 now and returns it (the evidence of a misrepresentation claim). */
    Event attestNow(String node) {
        return attestations.publish(node);
    }

    void slashed(SlashVerdict.Valid verdict) {
        slashedNodes.add(verdict.claim().accused());
        if (stake instanceof BondedStakeView bonded) {
            bonded.onVerifiedSlash(verdict);
        }
    }

    /** The stake view selection reads (a {@link BondedStakeView} fed by 31402 unless one was passed in). */
    public StakeView stake() {
        return stake;
    }

    // ---- for JobFlow ------------------------------------------------------------------------------------------

    /** Null when probation lets this router quote the spec, else the reason (JobFlow counts it). */
    String probationRefusal(String jobId, JobRequest.Spec spec) {
        return probation == null ? null : probation.refusal(jobId, spec);
    }

    /** False (and counted) when the client has used up this minute's share. */
    boolean withinRate(String client) {
        int max = config.policy().maxJobsPerMinute();
        return max <= 0 || ratePerClient.get(client, k -> new AtomicInteger()).incrementAndGet() <= max;
    }

    void startAcceptClock(RouterQuoteRow quote, long delayMs) {
        ScheduledFuture<?> previous = timers.put(quote.jobId(), executor.schedule(() -> {
            timers.remove(quote.jobId());
            guarded("4401", () -> flow.onAcceptTimeout(quote.jobId(), quote.quoteId()));
        }, delayMs, TimeUnit.MILLISECONDS));
        if (previous != null) {
            previous.cancel(false);
        }
    }

    void stopAcceptClock(String jobId) {
        ScheduledFuture<?> timer = timers.remove(jobId);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    Event sign(UnsignedEvent unsigned) {
        return EventSigner.sign(unsigned, config.keys());
    }

    /** Publishes until a relay takes the event ({@link PersistentPublisher}). */
    void publish(Event event) {
        publisher.publish(event);
    }

    long nowSeconds() {
        return config.clock().millis() / 1000;
    }

    /** Runs {@code body} on the role's thread after {@code delayMs}; a failure is counted, never fatal. */
    void schedule(Runnable body, long delayMs) {
        if (!closed) {
            executor.schedule(() -> guarded("timer", body), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        }
    }

    void execute(Runnable body) {
        if (!closed) {
            executor.execute(() -> guarded("task", body));
        }
    }

    private void guarded(String kind, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            counters.increment(kind + ":internal_error");
            LOG.warn("router timer failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        subscriptions.forEach(Subscription::close);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
