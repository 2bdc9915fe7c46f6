package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.payment.DevWallet;
import org.fedai.payment.PayResult;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.Quote;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;
import org.fedai.testing.market.GatedRunner;
import org.fedai.testing.market.MarketNode;
import org.fedai.testing.market.TestClock;
import org.fedai.testing.market.TestMarket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node role for real ({@link TestMarket}): embedded relay, real MiniLM runner, real dev wallet on SQLite; the
 * router and the client are scripted by the test through the protocol codecs (event-kinds/market-flow.md is the
 * contract). Shared by the node tests.
 */
abstract class NodeRoleFixture {

    static final String MODEL = EmbeddedRunner.EMBEDDING_MODEL;
    static final List<String> TEXTS = List.of("a cat on a mat", "Lightning pays for compute");

    static EmbeddedRunner embedded;

    @TempDir
    Path dir;
    final TestClock clock = new TestClock();
    TestMarket market;
    /** The node's seat in the market: its keys, wallet and journal outlive each start. */
    MarketNode nodeSeat;
    KeyPair nodeKeys;
    DevWallet nodeWallet;
    DevWallet clientWallet;
    NodeJobJournal journal;
    GatedRunner runner;
    NodeRole node;
    ScriptedPeers peers;

    @BeforeAll
    static void loadModel() {
        embedded = new EmbeddedRunner(); // loads the model on first use, once for the whole class
    }

    @AfterAll
    static void closeModel() {
        embedded.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        market = TestMarket.in(dir).start();
        runner = new GatedRunner(embedded);
        nodeSeat = market.node("node").nodeId("test-node").clock(clock).runner(runner)
                .configure(c -> c.withPricing(Msat.of(1000), Msat.of(1000)).withSweepInterval(Duration.ofMillis(200))
                        .withHeartbeatInterval(Duration.ofSeconds(5)));
        nodeKeys = nodeSeat.keys;
        journal = nodeSeat.journal();
        peers = new ScriptedPeers(market, nodeKeys.publicKey());
        nodeWallet = market.wallets().devWallet("node");
        clientWallet = market.wallets().devWallet("client");
    }

    @AfterEach
    void tearDown() {
        if (node != null) {
            assertThat(node.rejected("internal_error")).as("handler exceptions").isZero();
        }
        stopNode();
        peers.close();
        market.close();
    }

    /** The node's defaults on the market's relay, trusting the scripted router alone. */
    NodeConfig config() {
        return nodeSeat.config();
    }

    void startNode(NodeConfig config) throws Exception {
        startNode(config, runner);
    }

    void startNode(NodeConfig config, org.fedai.runner.Runner with) throws Exception {
        startNode(config, with, nodeWallet);
    }

    void startNode(NodeConfig config, org.fedai.runner.Runner with, org.fedai.payment.PaymentBackend wallet)
            throws Exception {
        node = nodeSeat.start(config, with, wallet);
    }

    void stopNode() {
        nodeSeat.stop();
        node = null;
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
        assertThat(all).allSatisfy(e -> assertThat(NodeEventSchemas.violations(e, peers.client, peers.router))
                .as("kind %d", e.kind()).isEmpty());
    }

    String invoiceHash(String job) {
        return journal.job(JobId.of(job)).orElseThrow().invoice().orElseThrow().paymentHash();
    }
}
