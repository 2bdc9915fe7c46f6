package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.ScriptedRelay;
import org.fedai.payment.Bolt11Codec;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Heartbeat;
import org.fedai.protocol.HeartbeatCodec;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.store.RouterJobState;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/** Each kind of bad input is refused with its counted reason, and the router keeps routing. */
@RelayTest
class RouterBadInputTest extends MarketFixtureTest {

    @Test
    void forgedAndMismatchedManifestsNeverMakeANodeLive() throws Exception {
        try (ScriptedRelay scripted = ScriptedRelay.started()) {
            RouterRole router = market.startRouter(scripted.url());
            await().atMost(ScriptedPeer.WAIT).until(() -> scripted.openSubscriptionCount() >= 3);
            ScriptedPeer node = market.peer("node-a");
            Event genuine = EventSigner.sign(CapabilityManifestCodec.encode(MarketFixture.manifest("node-a", 1000,
                    Set.of(PaymentTiming.BEFORE), node.wallet.nodeId()), node.now()), node.keys);
            Event other = EventSigner.sign(UnsignedEvent.of(1, "other", List.of()), node.keys);
            Event forged = new Event(genuine.id(), genuine.pubkey(), genuine.createdAt(), genuine.kind(),
                    genuine.tags(), genuine.content(), other.sig());
            scripted.sendToSubscriptions(forged);
            await().atMost(ScriptedPeer.WAIT).until(() -> market.routerPool.health().stream()
                    .anyMatch(h -> h.invalidEventsTotal() > 0));
            assertThat(router.registry().live()).isEmpty();

            // signed by its own key but declaring a Lightning key that is not one: a decode rejection
            ScriptedPeer liar = market.peer("liar");
            liar.publish(CapabilityManifestCodec.encode(MarketFixture.manifest("liar", 1,
                    Set.of(PaymentTiming.BEFORE), "02" + "zz".repeat(32)), liar.now()));
            market.awaitCount("31400:malformed_content", 1);
            // a heartbeat that claims to keep another key's manifest alive
            liar.publish(HeartbeatCodec.encode(new Heartbeat("31400:" + node.pubkey() + ":node-a", 0, 0, 0, 30),
                    liar.now()));
            market.awaitCount("24400:malformed_tag", 1);

            scripted.sendToSubscriptions(genuine); // the same manifest, correctly signed, is taken
            market.awaitLive(node);
            assertThat(router.registry().live()).extracting(LiveNode::pubkey).containsExactly(node.key());
        }
    }

    @Test
    void refusesSpecsOverPriceFromDeniedClientsAndOverTheRate() {
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        ScriptedPeer denied = market.client("mallory");
        market.config = market.config.withDeniedClients(Set.of(denied.key()))
                .withPolicy(new RouterAnnouncement.Policy(1_000_000, 0, 2));
        RouterRole router = market.startRouter();
        market.awaitLive(node);

        Event tooCheap = market.spec(client, 2_119, PaymentTiming.BEFORE, JobRequest.Constraints.none());
        market.awaitCount("4400:over_max_price", 1); // 2000 node + 120 fee does not fit in 2119
        market.spec(denied);
        market.awaitCount("4400:client_denied", 1);
        Event excluded = market.spec(client, 20_000, PaymentTiming.BEFORE,
                new JobRequest.Constraints(Set.of(), Set.of(node.pubkey()), ""));
        market.awaitCount("4400:constraints", 1);
        market.spec(client); // third of this minute: over the limit of 2
        market.awaitCount("4400:rate_limited", 1);
        assertThat(market.quotes(client, tooCheap.id()) + market.quotes(client, excluded.id())).isZero();

        // a spec whose expiration (300 s) has passed by the router's clock when it arrives
        ScriptedPeer late = market.client("late");
        market.clock.advanceSeconds(301);
        market.spec(late);
        market.awaitCount("4400:expired", 1);
        assertThat(router.jobs()).isEmpty();
    }

    @Test
    void refusesStatusAndRecordsFromOtherNodesAndProofsThatDoNotProve() {
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer stranger = market.node("node-x", 5000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(node, stranger);

        Event specA = market.spec(client);
        Event specB = market.spec(client);
        Quote a = market.quote(node, specA.id(), 1);
        Quote b = market.quote(node, specB.id(), 1);

        market.status(stranger, a, JobStatus.State.ACCEPTED); // not the node the quote named
        market.awaitCount("4405:not_chosen_node", 1);
        market.status(node, a, JobStatus.State.ACCEPTED);
        market.status(node, b, JobStatus.State.ACCEPTED);
        await().atMost(ScriptedPeer.WAIT).until(() -> router.jobs().stream()
                .allMatch(j -> j.state() == RouterJobState.ACCEPTED));

        Quote clientA = market.quote(client, specA.id(), 1);
        PaymentProof.Paid nodePaidA = MarketFixture.pay(client, market.invoice(node, a));
        PaymentProof.Paid feePaidA = MarketFixture.pay(client, clientA.routerFeeInvoice());
        market.proof(client, specB.id(), List.of(nodePaidA, feePaidA)); // job A's payments, shown for job B
        market.awaitCount("4403:wrong_description_hash", 1);

        market.proof(client, specA.id(), List.of(nodePaidA, feePaidA));
        market.workOrder(node, specA.id());
        market.proof(client, specA.id(), List.of(nodePaidA, feePaidA)); // the same preimages again
        market.awaitCount("4403:already_spent", 1);

        market.meter(stranger, a, 2000, List.of()); // a node the work order did not name
        market.awaitCount("4407:not_ordered_node", 1);
        String hashA = Bolt11Codec.decode(nodePaidA.bolt11()).paymentHashHex();
        market.meter(node, a, 1999, List.of(hashA));
        market.awaitCount("4407:price_mismatch", 1);
        market.meter(node, a, 2000, List.of("ee".repeat(32)));
        market.awaitCount("4407:unverified_payment", 1);
        assertThat(market.ledger.meteringLog()).isEmpty();

        // job B's quote lives 120 s: a proof that comes later is refused, although it pays correctly
        Quote clientB = market.quote(client, specB.id(), 1);
        PaymentProof.Paid nodePaidB = MarketFixture.pay(client, market.invoice(node, b));
        PaymentProof.Paid feePaidB = MarketFixture.pay(client, clientB.routerFeeInvoice());
        market.clock.advanceSeconds(121);
        market.proof(client, specB.id(), List.of(nodePaidB, feePaidB));
        market.awaitCount("4403:quote_expired", 1);
        assertThat(market.ledger.workOrder(JobId.of(specB.id()))).isEmpty();

        // and after all that, a correct record for job A is still countersigned
        Event record = market.meter(node, a, 2000, List.of(hashA));
        assertThat(market.receipt(client, record.id()).ledgerSequence()).isEqualTo(1);
    }

    @Test
    void anUnknownClientMustProveWorkWhenTheRouterAsksForIt() {
        market.config = market.config.withPolicy(new RouterAnnouncement.Policy(1_000_000, 10, 60));
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        market.startRouter();
        market.awaitLive(node);

        Event lazy = market.spec(client);
        market.awaitCount("4400:insufficient_pow", 1);
        assertThat(market.quotes(client, lazy.id())).isZero();

        long now = client.now();
        JobRequest.Spec spec = new JobRequest.Spec(MarketFixture.MODEL, "embedding",
                JobRequest.commitmentOf(MarketFixture.TEXTS), 21, MarketFixture.TEXTS.size(), 20_000,
                JobRequest.Constraints.none(), PaymentTiming.BEFORE, now + 600, now + 300);
        UnsignedEvent mined = org.fedai.nostr.Nip13.mine(
                JobRequestCodec.encode(spec, client.keys, market.routerKeys.publicKey(), now), client.pubkey(), 10);
        Event worked = client.publish(mined);
        assertThat(market.quote(client, worked.id(), 1).node()).isEqualTo(node.pubkey());
    }
}
