package org.fedai.roles.node;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.MeteringCodecs;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.WorkOrder;
import org.fedai.testing.market.ScriptedPeer;
import org.fedai.testing.market.TestMarket;

/**
 * The router and client a node test plays itself ({@link TestMarket} scripted peers: the router under the market
 * router's keys, which the node trusts, the client with money in its wallet): real signed, sealed events through
 * a real relay pool, built with the protocol codecs, and a record of everything the node publishes.
 */
final class ScriptedPeers implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final long CLIENT_FUNDS = 1_000_000;

    final KeyPair router;
    final KeyPair client;
    final String node;
    /** Carries every event the test publishes, whoever signed it: a relay does not care who sends. */
    private final ScriptedPeer playedClient;
    private final List<Event> fromNode = Collections.synchronizedList(new ArrayList<>());
    private final Subscription subscription;

    ScriptedPeers(TestMarket market, String nodePubkey) throws InterruptedException {
        this.node = nodePubkey;
        this.router = market.router().keys;
        this.playedClient = market.scriptedPeer("client", CLIENT_FUNDS);
        this.client = playedClient.keys;
        CountDownLatch eose = new CountDownLatch(1);
        subscription = market.scriptedPool().subscribe(List.of(Filter.builder().authors(nodePubkey).build()),
                new EventListener() {
                    @Override
                    public void onEvent(Event event, String relay) {
                        fromNode.add(event);
                    }

                    @Override
                    public void onEose(String relay) {
                        eose.countDown();
                    }
                });
        if (!eose.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("relay did not answer the subscription");
        }
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static String newJobId() {
        return Hex.encode(Sha256.hash(KeyPair.generate().secretKey()));
    }

    static String commitment(List<String> texts) {
        return new JobRequest.Input("", texts, Map.of(), 0).commitment();
    }

    Quote quote(String jobId, String model, String task, List<String> texts, long priceMsat, PaymentTiming timing) {
        long now = now();
        return Quote.builder().jobId(jobId).parties(client.publicKey(), node)
                .work(model, task, commitment(texts), texts.size()).price(priceMsat, 0, "").timing(timing)
                .deadlines(now + 15, now + 300, now + 120).build();
    }

    Event publishQuote(Quote q) {
        return publish(QuoteCodec.encode(q, router, node, now()), router);
    }

    Event publishInput(String jobId, List<String> texts, Map<String, String> params) {
        JobRequest.Input input = new JobRequest.Input(jobId, texts, params, now() + 300);
        return publish(JobRequestCodec.encode(input, client, node, now()), client);
    }

    Event publishWorkOrder(KeyPair from, String jobId, String quoteId, WorkAuthorization auth,
            List<String> hashes) {
        WorkOrder order = new WorkOrder(jobId, quoteId, client.publicKey(), auth, hashes, now() + 300);
        return publish(PaymentCodecs.encodeWorkOrder(order, from, node, now()), from);
    }

    Event publish(UnsignedEvent unsigned, KeyPair author) {
        Event event = EventSigner.sign(unsigned, author);
        playedClient.publish(event);
        return event;
    }

    // ---- what the node published ------------------------------------------------------------------------------

    List<Event> fromNode(int kind, String jobId) {
        synchronized (fromNode) {
            return fromNode.stream().filter(e -> e.kind() == kind
                    && (jobId == null || e.firstTagValue("e").orElse("").equals(jobId))).toList();
        }
    }

    List<String> statuses(String jobId) {
        return fromNode(4405, jobId).stream()
                .map(e -> JobProgressCodecs.decodeStatus(e).orElseThrow().state().code()).toList();
    }

    JobStatus lastStatus(String jobId) {
        List<Event> all = fromNode(4405, jobId);
        return JobProgressCodecs.decodeStatus(all.get(all.size() - 1)).orElseThrow();
    }

    Invoice awaitInvoice(String jobId) {
        await().atMost(DEADLINE).until(() -> !fromNode(4402, jobId).isEmpty());
        return PaymentCodecs.decodeInvoice(fromNode(4402, jobId).get(0), client, now()).orElseThrow();
    }

    void awaitStatus(String jobId, String state) {
        await().atMost(DEADLINE).until(() -> statuses(jobId).contains(state));
    }

    List<JobResult> results(String jobId) {
        return fromNode(4406, jobId).stream().map(e -> JobProgressCodecs.decodeResult(e, client).orElseThrow())
                .toList();
    }

    List<MeteringRecord> metering(String jobId) {
        return fromNode(4407, jobId).stream().map(e -> MeteringCodecs.decodeRecord(e).orElseThrow()).toList();
    }

    @Override
    public void close() {
        subscription.close();
    }
}
