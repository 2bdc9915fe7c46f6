package org.fedai.roles.router;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.PublicKey;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.RelayPoolConfig;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Heartbeat;
import org.fedai.protocol.HeartbeatCodec;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.MeteringCodecs;
import org.fedai.protocol.MeteringReceipt;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.WorkOrder;
import org.fedai.store.RouterLedger;
import org.fedai.store.SqlitePaymentHashRegistry;
import org.fedai.testing.market.MarketRouter;
import org.fedai.testing.market.ScriptedPeer;
import org.fedai.testing.market.TestClock;
import org.fedai.testing.market.TestMarket;

/**
 * The router tests' market ({@link TestMarket}): a real router (its ledger and spent-hash registry in SQLite, its
 * fee wallet a DevWallet account, its clock moved by hand) that each test starts when it has set the router up,
 * and the node and client peers the test scripts with the real codecs.
 */
final class MarketFixture implements AutoCloseable {

    static final String MODEL = "all-minilm-l6-v2-q";
    static final List<String> TEXTS = List.of("the cat sat", "on the mat");

    final TestMarket testMarket;
    final EmbeddedRelay relay;
    final DevWalletNetwork network;
    /** The relay connection every scripted peer shares. */
    final RelayPool peers;
    final KeyPair routerKeys;
    final TestClock clock = new TestClock();
    /** What the next {@link #startRouter} runs with; a test changes it first. */
    RouterConfig config;
    /** Set before {@link #startRouter}: the router runs under these probation terms (null: no probation). */
    ProbationTerms probationTerms;
    RelayPool routerPool;
    RouterLedger ledger;
    SqlitePaymentHashRegistry spent;
    RouterRole router;

    MarketFixture(Path dir) throws Exception {
        testMarket = TestMarket.in(dir)
                .pools(RelayPoolConfig.defaults().withReconnect(Duration.ofMillis(20), Duration.ofMillis(200)))
                .start();
        relay = testMarket.relay();
        network = testMarket.wallets().network();
        peers = testMarket.scriptedPool();
        routerKeys = testMarket.router().keys;
        config = testMarket.router().config().withAcceptTimeout(Duration.ofSeconds(2)).withClock(clock);
    }

    RelayPool pool() {
        return testMarket.newPool();
    }

    RouterRole startRouter(String... extraRelays) {
        MarketRouter seat = testMarket.router().config(config).probation(probationTerms);
        router = seat.start(extraRelays);
        routerPool = seat.pool();
        ledger = seat.ledger();
        spent = seat.spentHashes();
        return router;
    }

    void stopRouter() {
        testMarket.router().stop();
        router = null;
    }

    /** A peer with nothing published yet and no money, for a test that scripts it from the start. */
    ScriptedPeer peer(String name) {
        return testMarket.scriptedPeer(name, 0);
    }

    /** A node peer with a published manifest (its DevWallet's key as lightning_pubkey) and a heartbeat. */
    ScriptedPeer node(String name, long msatPerUnit, Set<PaymentTiming> timing) {
        return node(name, msatPerUnit, timing, Map.of());
    }

    /** A node peer whose manifest declares {@code benchmarks}. */
    ScriptedPeer node(String name, long msatPerUnit, Set<PaymentTiming> timing, Map<String, Double> benchmarks) {
        ScriptedPeer node = peer(name);
        node.publish(CapabilityManifestCodec.encode(manifest(name, msatPerUnit, timing, node.wallet.nodeId(),
                benchmarks), node.now()));
        node.publish(HeartbeatCodec.encode(new Heartbeat("31400:" + node.pubkey() + ":" + name, 0, 0, 0.1, 30),
                node.now()));
        return node;
    }

    static CapabilityManifest manifest(String name, long msatPerUnit, Set<PaymentTiming> timing, String lightning) {
        return manifest(name, msatPerUnit, timing, lightning, Map.of());
    }

    static CapabilityManifest manifest(String name, long msatPerUnit, Set<PaymentTiming> timing, String lightning,
            Map<String, Double> benchmarks) {
        return new CapabilityManifest(name, "fedai/0.1.0", Set.of(CapabilityManifest.Role.INFERENCE),
                List.of(new CapabilityManifest.ModelOffer(MODEL, "embedding", 65536)),
                List.of(new CapabilityManifest.Price(MODEL, "text", msatPerUnit, 1000)),
                new CapabilityManifest.Limits(4, 65536), new PaymentTerms(timing, lightning, "regtest"),
                Map.of("cpu", "medium"), benchmarks, List.of(), System.currentTimeMillis() / 1000 + 3600);
    }

    PaymentBackend routerWallet() {
        return testMarket.router().wallet();
    }

    /** The router's newest 31401 as a client reads it from the relay. */
    org.fedai.protocol.RouterAnnouncement announcement() {
        List<Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var sub = peers.subscribe(List.of(org.fedai.nostr.Filter.builder().kinds(31401)
                .authors(routerKeys.publicKey()).build()), (e, r) -> seen.add(e));
        try {
            await().atMost(ScriptedPeer.WAIT).until(() -> !seen.isEmpty());
            return org.fedai.protocol.RouterAnnouncementCodec.decode(seen.get(seen.size() - 1),
                    System.currentTimeMillis() / 1000).orElseThrow();
        } finally {
            sub.close();
        }
    }

    void awaitLive(ScriptedPeer... expected) {
        testMarket.router().awaitLive(java.util.Arrays.stream(expected).map(ScriptedPeer::key).toArray(PublicKey[]::new));
    }

    ScriptedPeer client(String name) {
        return testMarket.scriptedPeer(name, 1_000_000);
    }

    Event spec(ScriptedPeer client, long maxPriceMsat, PaymentTiming timing, JobRequest.Constraints constraints) {
        long now = client.now();
        JobRequest.Spec spec = new JobRequest.Spec(MODEL, "embedding", JobRequest.commitmentOf(TEXTS), 21,
                TEXTS.size(), maxPriceMsat, constraints, timing, now + 600, now + 300);
        return client.publish(JobRequestCodec.encode(spec, client.keys, routerKeys.publicKey(), now));
    }

    Event spec(ScriptedPeer client) {
        return spec(client, 20_000, PaymentTiming.BEFORE, JobRequest.Constraints.none());
    }

    /** The {@code n}-th quote this peer received for the job. */
    Quote quote(ScriptedPeer peer, String jobId, int n) {
        return peer.awaitEvent(4401, e -> QuoteCodec.decode(e, peer.keys, peer.now()), q -> q.jobId().equals(jobId), n);
    }

    /** The fee invoice of the job's first quote to {@code client}: only the client's copy carries it. */
    String feeInvoice(ScriptedPeer client, String jobId) {
        return quote(client, jobId, 1).routerFeeInvoice();
    }

    /** {@code q} as its node's copy carries it: without the fee invoice, which only the client pays. */
    static Quote nodeCopyOf(Quote q) {
        return q.toBuilder().price(q.nodePriceMsat(), q.routerFeeMsat(), "").build();
    }

    int quotes(ScriptedPeer peer, String jobId) {
        return peer.received(4401, e -> QuoteCodec.decode(e, peer.keys, peer.now()), q -> q.jobId().equals(jobId))
                .size();
    }

    Event status(ScriptedPeer node, Quote quote, JobStatus.State state) {
        return node.publish(JobProgressCodecs.encodeStatus(
                new JobStatus(quote.jobId(), quote.client(), routerKeys.publicKey(), state, ""), node.now()));
    }

    /** The node's invoice for exactly the quoted price, bound to the job. */
    String invoice(ScriptedPeer node, Quote quote) {
        InvoiceResult result = node.wallet.makeInvoice(
                InvoiceRequest.forJob(quote.nodePriceMsat(), new JobBinding(quote.jobId()), 600));
        return ((InvoiceResult.Created) result).bolt11();
    }

    static PaymentProof.Paid pay(ScriptedPeer client, String bolt11) {
        PayResult result = client.wallet.pay(bolt11, OptionalLong.empty());
        if (!(result instanceof PayResult.Paid paid)) {
            throw new AssertionError("payment failed: " + result);
        }
        return new PaymentProof.Paid(bolt11, Hex.encode(paid.preimage()));
    }

    Event proof(ScriptedPeer client, String jobId, List<PaymentProof.Paid> paid) {
        return client.publish(PaymentCodecs.encodeProof(new PaymentProof(jobId, paid), client.keys,
                routerKeys.publicKey(), client.now()));
    }

    WorkOrder workOrder(ScriptedPeer node, String jobId) {
        return node.awaitEvent(4404, e -> PaymentCodecs.decodeWorkOrder(e, node.keys, node.now()),
                w -> w.jobId().equals(jobId), 1);
    }

    Event meter(ScriptedPeer node, Quote quote, long priceMsat, List<String> hashes) {
        long now = node.now();
        return node.publish(MeteringCodecs.encodeRecord(new MeteringRecord(quote.jobId(), quote.client(),
                routerKeys.publicKey(), MODEL, quote.units(), "text", priceMsat, hashes, "ab".repeat(32), now - 1, now),
                now));
    }

    MeteringReceipt receipt(ScriptedPeer peer, String recordId) {
        return peer.awaitEvent(4408, MeteringCodecs::decodeReceipt, r -> r.recordId().equals(recordId), 1);
    }

    /**
     * The rest of a pay-before job that {@code node} is quoted for, played by the peers: accepted, both invoices
     * paid and proved, ordered, metered and countersigned.
     */
    void serveAndMeter(ScriptedPeer client, ScriptedPeer node, String jobId) {
        Quote quote = quote(node, jobId, 1);
        status(node, quote, org.fedai.protocol.JobStatus.State.ACCEPTED);
        org.fedai.protocol.PaymentProof.Paid nodePaid = pay(client, invoice(node, quote));
        org.fedai.protocol.PaymentProof.Paid feePaid = pay(client, feeInvoice(client, jobId));
        proof(client, jobId, List.of(nodePaid, feePaid));
        var order = workOrder(node, jobId);
        receipt(node, meter(node, quote, quote.nodePriceMsat(), order.paymentHashes()).id());
    }

    void awaitJobState(String jobId, org.fedai.store.RouterJobState state) {
        await().atMost(ScriptedPeer.WAIT).until(() -> ledger.job(JobId.of(jobId)).map(j -> j.state() == state).orElse(false));
    }

    void awaitCount(String key, long n) {
        await().atMost(ScriptedPeer.WAIT).until(() -> router.counters().get(key) + router.activity().get(key) >= n);
    }

    @Override
    public void close() {
        testMarket.close();
    }
}
