package org.fedai.roles.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.AllRelaysStored;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.pool.Subscription;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.PaymentProofVerifier;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.roles.common.Counters;
import org.fedai.roles.common.RoleThread;
import org.fedai.roles.router.machine.RouterAction;
import org.fedai.roles.trust.BondedStakeView;
import org.fedai.roles.trust.StakeView;
import org.fedai.store.NodeStats;
import org.fedai.store.PaymentHashRegistry;
import org.fedai.store.RouterJobRow;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
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
    /** How often the router renews its fee spares ahead (SpareBook#keepFeesAhead). */
    private static final long FEES_AHEAD_EVERY_MS = 60_000;
    private static final int MAX_QUEUED_EVENTS = 10_000;
    /** Effective bond units at which the default stake view saturates (weight 1). */
    public static final double DEFAULT_STAKE_CAP_UNITS = 1000;

    private final RouterConfig config;
    private final RelayPort pool;
    private final RouterLedger ledger;
    private final PaymentBackend wallet;
    private final NodeRegistry registry;
    private final SpareBook spares;
    private final RouterMarket market;
    private final StakeView stake;
    private final Slashes slashes;
    private final Attestations attestations;
    private final NonDeliveryWatch nonDelivery;
    private final MisrepresentationWatch misrepresentation;
    private final Counters counters = new Counters();
    private final Counters activity = new Counters();
    /** Clients whose specs may use timing external: this router's own NIP-90 gateways. */
    private final Set<PublicKey> externalPayers = ConcurrentHashMap.newKeySet();
    private final RoleThread thread;
    private final AcceptClocks acceptClocks;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<PaymentBackend.Subscription> walletReports = new ArrayList<>();
    private final List<Consumer<RoutedJob>> outcomeListeners =
            new CopyOnWriteArrayList<>();
    private final RouterJobs jobs;
    private final PersistentPublisher publisher;
    private final Probation probation;
    private final RouterPresence presence;
    private volatile java.time.Duration retention = org.fedai.store.Retention.DEFAULT;

    public RouterRole(RouterConfig config, RelayPort pool, RouterLedger ledger, PaymentHashRegistry spentHashes,
            PaymentBackend wallet) {
        this(config, pool, ledger, spentHashes, wallet, null);
    }

    /** A router under {@code probation} (null: none, for a router its host vetted, as in the embedded demo). */
    public RouterRole(RouterConfig config, RelayPort pool, RouterLedger ledger, PaymentHashRegistry spentHashes,
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

    public RouterRole(RouterConfig config, RelayPort pool, RouterLedger ledger, PaymentHashRegistry spentHashes,
            PaymentBackend wallet, PricingPolicy pricing, StakeView stake, Probation probation) {
        this.config = config;
        this.probation = probation;
        this.pool = pool;
        this.ledger = ledger;
        this.wallet = wallet;
        this.stake = stake;
        this.slashes = new Slashes(ledger.slashedNodes(), stake);
        this.registry = new NodeRegistry(config.clock(), counters, ledger.nodeStats(), this::statsChanged);
        // what nodes without a metered job here may cost a client: their share, their place, their accept_by
        this.market = new RouterMarket(registry, new DefaultSelectionPolicy(pricing, registry::stats, stake),
                NewcomerLimits.DEFAULT, slashes::all, config);
        this.thread = new RoleThread("router-" + config.routerId(), counters, MAX_QUEUED_EVENTS);
        this.publisher = new PersistentPublisher(pool, config.publishDeadline(), config.clock(), activity,
                this::schedule, thread::closed);
        RouterContext context = new RouterContext(config, pool, ledger, registry, activity, thread, this::publish);
        this.misrepresentation = new MisrepresentationWatch(context, slashes, this::attestNow);
        this.attestations = new Attestations(context, slashes, misrepresentation);
        this.nonDelivery = new NonDeliveryWatch(context, slashes, this::outcome);
        this.presence = new RouterPresence(context, wallet, probation);
        RefusalNotices notices = new RefusalNotices(config.keys(), config.clock(), this::publish, counters, activity);
        this.spares = new SpareBook(config, ledger.spares(), registry, wallet, pricing, counters);
        this.jobs = new RouterJobs(config, ledger, new SpecAdmission(config, ledger, market, probation,
                externalPayers), market, slashes::contains, notices, spares);
        this.acceptClocks = new AcceptClocks(thread, jobs::onAcceptTimeout);
        this.jobs.carryOutWith(new JobEffects(ledger, wallet, new PaymentCheck(new PaymentProofVerifier(spentHashes,
                Duration.ofSeconds(30)), wallet, ledger, PublicKey.of(config.keys().publicKey())), this::publishFromOutbox, acceptClocks, counters, activity,
                notices, this::observe));
    }

    /** What a job tells the rest of the router: node statistics, throughput, probation and outcome listeners. */
    private void observe(RouterAction.Observation observation) {
        switch (observation) {
            case RouterAction.NodeTimedOut t -> registry.recordTimeout(t.node());
            case RouterAction.NodeFailed f -> registry.recordFailure(f.node());
            case RouterAction.NodeDelivered d -> registry.recordSuccess(d.node(), d.latencyMs());
            case RouterAction.WorkOrdered o -> misrepresentation.ordered(o.jobId());
            case RouterAction.Metered m -> misrepresentation.metered(m.jobId(), m.node(), m.task(), m.units());
            case RouterAction.Finished f -> outcome(f.jobId());
        }
    }

    /** Publishes the node's 31403 now and returns it (the evidence of a misrepresentation claim). */
    private Event attestNow(PublicKey node) {
        return attestations.publish(node);
    }

    private void statsChanged(PublicKey node, NodeStats stats) {
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
                FedaiKind.PAYMENT_PROOF.number(), FedaiKind.JOB_STATUS.number(), FedaiKind.METERING_RECORD.number(),
                FedaiKind.INVOICE.number())
                .tag('p', me).since(since).build()), listener(true)));
        // the wallet's word that a fee invoice settled: a hop before the client's proof of it (PaymentRules#onFeeSettled)
        walletReports.add(wallet.subscribeSettlements(s -> thread.offer("fee settled", () -> jobs.onFeeSettled(s))));
        if (stake instanceof BondedStakeView || probation != null) {
            subscriptions.add(pool.subscribe(List.of(Filter.builder().kinds(FedaiKind.STAKE_BOND.number())
                    .tag('t', "fedai").build()), listener(false)));
        }
        thread.execute("outbox", () -> {
            // what a transition journalled before a crash took the router down, its publish unfinished
            for (org.fedai.store.Outbound queued : ledger.unpublished()) {
                try {
                    publishFromOutbox(org.fedai.nostr.EventJson.parse(queued.eventJson()));
                } catch (org.fedai.nostr.MalformedEventException e) {
                    LOG.warn("unreadable event {} in the outbox, dropped: {}", queued.eventId(), e.getMessage());
                    ledger.markPublished(queued.eventId());
                }
            }
        });
        thread.execute("4401", () -> {
            for (RouterJobRow job : ledger.jobsIn(RouterJobState.QUOTED)) {
                job.activeQuoteId().flatMap(ledger::quote).ifPresent(q -> acceptClocks.start(q.jobId(), q.quoteId(),
                        TimeUnit.SECONDS.toMillis(q.acceptBy()) - config.clock().millis()));
            }
        });
        thread.every("31401", presence::announce, 0, config.announceInterval().toMillis());
        thread.every("31400", presence::heartbeat, 0, TimeUnit.SECONDS.toMillis(RouterPresence.HEARTBEAT_SECONDS));
        thread.every("31403", attestations::publishAll, 0, TimeUnit.SECONDS.toMillis(Attestations.INTERVAL_SECONDS));
        thread.withPauses("4409", nonDelivery::sweep, NonDeliveryWatch.SWEEP_MS, NonDeliveryWatch.SWEEP_MS);
        thread.withPauses("prune", this::pruneSettled, 0, org.fedai.store.Retention.PRUNE_EVERY.toMillis());
        thread.withPauses("fee spares", spares::keepFeesAhead, FEES_AHEAD_EVERY_MS, FEES_AHEAD_EVERY_MS);
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
        spares.prune();
        int pruned = ledger.pruneSettled(nowSeconds() - retention.toSeconds());
        if (pruned > 0) {
            LOG.info("pruned {} finished jobs older than {}", pruned, retention);
        }
        return pruned;
    }

    /** The router's public key (hex). */
    public PublicKey publicKey() {
        return PublicKey.of(config.keys().publicKey());
    }

    /**
     * Lets {@code gatewayPubkey} send specs of timing external: a NIP-90 gateway this router's operator runs, whose
     * customers pay the node directly and whose proofs are the preimages nodes reveal (market-flow.md).
     */
    public void admitExternalPayer(PublicKey gatewayPubkey) {
        externalPayers.add(gatewayPubkey);
    }

    /** What was refused, by {@code <kind>:<reason>} (e.g. {@code 4400:replay}, {@code 4403:already_spent}). */
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
    public java.util.Optional<Msat> cheapestTotal(org.fedai.protocol.JobRequest.Spec spec, PublicKey client) {
        return market.cheapestTotal(spec, client);
    }

    /** The live nodes this router may quote: all of them, or only {@link RouterConfig#servedNodes()} when set. */
    List<LiveNode> servedLiveNodes() {
        return market.servedLiveNodes();
    }

    /** Every job the router has quoted, oldest first, as the demo prints them. */
    public List<RoutedJob> jobs() {
        return ledger.allJobs().stream().map(j -> RoutedJob.of(ledger, j)).filter(Objects::nonNull).toList();
    }

    /** Calls {@code listener} (on the role's thread) each time a job is metered or fails. */
    public void onOutcome(Consumer<RoutedJob> listener) {
        outcomeListeners.add(listener);
    }

    void outcome(JobId jobId) {
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
        // the pool bounds each subscription's queue; the role thread bounds ours
        return (event, relay) -> thread.offer(Integer.toString(event.kind()), () -> handle(event, addressedToUs));
    }

    /** One handler per kind; bad input is counted, never fatal. */
    private void handle(Event event, boolean addressedToUs) {
        try {
            FedaiKind kind = FedaiKind.of(event.kind()).orElse(null);
            if (kind == null) {
                counters.count(event.kind(), "unexpected_kind");
                return;
            }
            switch (kind) {
                case CAPABILITY_MANIFEST -> {
                    if (registry.onManifest(event)) {
                        misrepresentation.onManifest(event);
                        registry.node(PublicKey.of(event.pubkey())).ifPresent(n -> spares.feesAhead(n.manifest()));
                    }
                }
                case HEARTBEAT -> registry.onHeartbeat(event);
                case JOB_REQUEST -> jobs.onSpec(event);
                case JOB_STATUS -> jobs.onStatus(event);
                case PAYMENT_PROOF -> jobs.onProof(event);
                case METERING_RECORD -> jobs.onMetering(event);
                case INVOICE -> spares.onSpare(event); // a node's spare: the only 4402 a router is sent
                case STAKE_BOND -> onBond(event);
                default -> counters.count(event.kind(), "unexpected_kind");
            }
            if (addressedToUs) {
                ledger.advanceProcessed(event.createdAt());
            }
        } catch (RuntimeException e) {
            counters.count(event.kind(), "internal_error");
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
    public Set<PublicKey> slashedNodes() {
        return slashes.all();
    }

    /** The stake view selection reads (a {@link BondedStakeView} fed by 31402 unless one was passed in). */
    public StakeView stake() {
        return stake;
    }

    /** Publishes until a relay takes the event ({@link PersistentPublisher}). */
    void publish(Event event) {
        publisher.publish(event);
    }

    /** An event the ledger's outbox holds: marked published once a relay took it, else republished on restart. */
    private void publishFromOutbox(Event event) {
        publisher.publish(event, () -> ledger.markPublished(EventId.of(event.id())));
    }

    private long nowSeconds() {
        return config.clock().millis() / 1000;
    }

    /** Runs {@code body} on the role's thread after {@code delayMs}; a failure is counted, never fatal. */
    private void schedule(Runnable body, long delayMs) {
        thread.schedule("timer", body, delayMs);
    }

    @Override
    public void close() {
        thread.close();
        subscriptions.forEach(Subscription::close);
        walletReports.forEach(PaymentBackend.Subscription::close);
    }
}
