package org.fedai.roles.node;

import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.PayResult;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.Quote;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.runner.profile.CapabilityBands;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node role for real: embedded relay, real MiniLM runner, real dev wallet on SQLite; the router and the
 * client are scripted by the test through the protocol codecs (event-kinds/market-flow.md is the contract).
 * Shared by the node tests.
 */
abstract class NodeRoleFixture {

    static final String MODEL = EmbeddedRunner.EMBEDDING_MODEL;
    static final List<String> TEXTS = List.of("a cat on a mat", "Lightning pays for compute");
    static final CapabilityProfile PROFILE = new CapabilityProfile("fedai test",
            new CapabilityBands("linux-x86_64", CapabilityBands.Size.SMALL, CapabilityBands.Size.MEDIUM,
                    CapabilityBands.Size.SMALL, CapabilityBands.Gpu.NONE, CapabilityBands.Simd.AVX2),
            List.of(), Optional.empty(), Optional.empty());

    static EmbeddedRelay relay;
    static EmbeddedRunner embedded;

    @TempDir
    Path dir;
    final KeyPair nodeKeys = KeyPair.generate();
    final TestClock clock = new TestClock();
    DevWalletNetwork network;
    DevWallet nodeWallet;
    DevWallet clientWallet;
    NodeJobJournal journal;
    CountingRunner runner;
    RelayPool nodePool;
    NodeRole node;
    ScriptedPeers peers;

    @BeforeAll
    static void startRelayAndModel() throws Exception {
        relay = EmbeddedRelay.inMemory().start();
        embedded = new EmbeddedRunner(); // loads the model on first use, once for the whole class
    }

    @AfterAll
    static void stopRelayAndModel() {
        embedded.close();
        relay.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        network = DevWalletNetwork.open(dir.resolve("wallet.db"));
        nodeWallet = network.wallet("node", KeyPair.generate().secretKey());
        clientWallet = network.wallet("client", KeyPair.generate().secretKey());
        network.deposit("client", 1_000_000);
        journal = NodeJobJournal.open(dir.resolve("node.db"));
        runner = new CountingRunner(embedded);
        peers = new ScriptedPeers(relay.url(), nodeKeys.publicKey());
    }

    @AfterEach
    void tearDown() {
        if (node != null) {
            assertThat(node.rejected("internal_error")).as("handler exceptions").isZero();
        }
        stopNode();
        peers.close();
        journal.close();
        network.close();
    }

    NodeConfig config() {
        return NodeConfig.defaults(nodeKeys, "test-node").withPricing(Msat.of(1000), Msat.of(1000))
                .withSweepInterval(Duration.ofMillis(200)).withHeartbeatInterval(Duration.ofSeconds(5))
                .withRelays(List.of(relay.url())).withRouters(RouterTrust.only(Set.of(PublicKey.of(peers.router.publicKey()))));
    }

    void startNode(NodeConfig config) throws Exception {
        startNode(config, runner);
    }

    void startNode(NodeConfig config, org.fedai.runner.Runner with) throws Exception {
        startNode(config, with, nodeWallet);
    }

    void startNode(NodeConfig config, org.fedai.runner.Runner with, org.fedai.payment.PaymentBackend wallet)
            throws Exception {
        nodePool = new RelayPool();
        nodePool.addRelay(relay.url());
        node = new NodeRole(config, clock, nodePool, journal, wallet, with, PROFILE);
        node.start();
    }

    void stopNode() {
        if (node != null) {
            node.close();
            nodePool.close();
            node = null;
        }
    }

    NodeJobState state(String job) {
        return journal.job(JobId.of(job)).orElseThrow().state();
    }

    /** Quote, invoice, payment, input: everything but the work order. Returns the quote event. */
    Event quotedAndPaid(String job, List<String> texts, String model, String task, Map<String, String> params) {
        Event quote = peers.publishQuote(peers.quote(job, model, task, texts, 1000L * texts.size(),
                PaymentTiming.BEFORE));
        Invoice invoice = peers.awaitInvoice(job);
        assertThat(clientWallet.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Paid.class);
        peers.publishInput(job, texts, params);
        return quote;
    }

    /** Every event the node published so far conforms to its kind's JSON Schema. */
    void assertPublishedEventsMatchTheirSchemas() {
        List<Event> all = new java.util.ArrayList<>();
        for (int kind : List.of(31400, 24400, 4402, 4405, 4406, 4407, 24401)) {
            all.addAll(peers.fromNode(kind, null));
        }
        assertThat(all).isNotEmpty();
        assertThat(all).allSatisfy(e -> assertThat(NodeEventSchemas.violations(e, peers.client))
                .as("kind %d", e.kind()).isEmpty());
    }

    String invoiceHash(String job) {
        return journal.job(JobId.of(job)).orElseThrow().invoice().orElseThrow().paymentHash();
    }
}
