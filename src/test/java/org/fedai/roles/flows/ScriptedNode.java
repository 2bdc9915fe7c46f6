package org.fedai.roles.flows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Heartbeat;
import org.fedai.protocol.HeartbeatCodec;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.protocol.WorkOrder;
import org.fedai.runner.EmbeddedRunner;

/**
 * A node the test plays with the real codecs and the market's wallet, for the dishonest behaviour a real node
 * never shows: manifest and heartbeat, {@code accepted} on every quote, and on each work order whatever
 * {@code onOrder} publishes.
 */
final class ScriptedNode {

    final FlowMarket market;
    final RelayPool pool;
    final PaymentBackend wallet;

    private ScriptedNode(FlowMarket market, RelayPool pool) {
        this.market = market;
        this.pool = pool;
        this.wallet = market.nodeWallet();
    }

    static ScriptedNode start(FlowMarket m, RelayPool pool, PaymentTiming timing, BiConsumer<Quote, WorkOrder> onOrder) {
        ScriptedNode node = new ScriptedNode(m, pool);
        long now = System.currentTimeMillis() / 1000;
        String model = EmbeddedRunner.EMBEDDING_MODEL;
        node.publish(CapabilityManifestCodec.encode(new CapabilityManifest("scripted", "fedai/0.1.0",
                Set.of(CapabilityManifest.Role.INFERENCE), List.of(new CapabilityManifest.ModelOffer(model,
                        "embedding", 65536)), List.of(new CapabilityManifest.Price(model, "text", 1000, 1000)),
                new CapabilityManifest.Limits(4, 65536), new PaymentTerms(Set.of(timing), node.wallet.nodeId(),
                        "regtest"), Map.of("cpu", "medium"), Map.of(), List.of(), now + 3600), now));
        node.publish(HeartbeatCodec.encode(new Heartbeat("31400:" + m.nodeKeys.publicKey() + ":scripted", 0, 0, 0.1,
                30), now));
        m.awaitLiveNode();
        Map<String, Quote> quotes = new java.util.concurrent.ConcurrentHashMap<>();
        pool.subscribe(List.of(Filter.builder().kinds(4401, 4404).tag('p', m.nodeKeys.publicKey()).build()),
                (e, relay) -> {
                    long t = e.createdAt();
                    if (e.kind() == 4401) {
                        Quote q = QuoteCodec.decode(e, m.nodeKeys, t).orElseThrow();
                        quotes.put(q.jobId(), q);
                        node.publish(JobProgressCodecs.encodeStatus(new JobStatus(q.jobId(), q.client(),
                                m.routerKeys.publicKey(), JobStatus.State.ACCEPTED, ""), t));
                        // the script does not read the input; it says it has it, which after and atomic orders need
                        node.publish(JobProgressCodecs.encodeStatus(new JobStatus(q.jobId(), q.client(),
                                m.routerKeys.publicKey(), JobStatus.State.INPUT_RECEIVED, ""), t));
                        return;
                    }
                    WorkOrder order = PaymentCodecs.decodeWorkOrder(e, m.nodeKeys, t).orElseThrow();
                    onOrder.accept(quotes.get(order.jobId()), order);
                });
        return node;
    }

    Event publish(UnsignedEvent unsigned) {
        Event e = EventSigner.sign(unsigned, market.nodeKeys);
        pool.publish(e, FlowMarket.WAIT);
        return e;
    }
}
