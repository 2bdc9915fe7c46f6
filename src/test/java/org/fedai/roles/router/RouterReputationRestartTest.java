package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.SlashClaimCodec;
import org.fedai.roles.trust.SlashClaimVerifier;
import org.fedai.roles.trust.SlashVerdict;
import org.fedai.store.NodeStats;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/**
 * A router restarted after it has slashed a node keeps its reputation books: the slashed set (the node still gets
 * no work), every node's observed statistics, its metering log, and the 31403 its misrepresentation claim cites,
 * which it must never replace (a restarted router that attested that node again would make relays drop the
 * evidence, and the claim could no longer be checked). Metering and debts across restarts: RouterRestartTest.
 */
@RelayTest
class RouterReputationRestartTest extends MarketFixtureTest {

    @Test
    void aRestartKeepsTheSlashedSetTheStatisticsAndTheEvidenceOfItsClaims() {
        String key = MisrepresentationWatch.BENCHMARK;
        ScriptedPeer boaster = market.node("boaster", 100, Set.of(PaymentTiming.BEFORE), Map.of(key, 1_000_000.0));
        ScriptedPeer modest = market.node("modest", 150, Set.of(PaymentTiming.BEFORE), Map.of(key, 0.5));
        ScriptedPeer client = market.client("client");
        market.startRouter();
        market.awaitLive(boaster, modest);
        for (ScriptedPeer node : List.of(boaster, modest)) {
            for (int i = 0; i < MisrepresentationWatch.MIN_JOBS; i++) {
                batchJob(client, node);
            }
        }
        SlashClaim claim = boaster.awaitEvent(4409, SlashClaimCodec::decode,
                c -> c.reason() == SlashClaim.Reason.MISREPRESENTATION, 1);
        Event claimEvent = boaster.inbox.stream().filter(e -> e.kind() == 4409).findFirst().orElseThrow();
        await().atMost(ScriptedPeer.WAIT).until(() -> market.router.slashedNodes().contains(boaster.key()));
        NodeStats modestBefore = market.router.registry().stats(modest.key());
        NodeStats boasterBefore = market.router.registry().stats(boaster.key());
        int metered = market.ledger.meteringLog().size();
        market.stopRouter();

        RouterRole restarted = market.startRouter();
        assertThat(restarted.slashedNodes()).containsExactly(boaster.key());
        assertThat(restarted.registry().stats(modest.key())).isEqualTo(modestBefore);
        assertThat(restarted.registry().stats(boaster.key())).isEqualTo(boasterBefore);
        assertThat(market.ledger.meteringLog()).hasSize(metered);
        market.awaitLive(boaster, modest);

        // the restart attests what it observed again (the modest node), never the node its claim cites
        await().atMost(ScriptedPeer.WAIT).until(() -> restarted.activity().get("31403:sent") >= 1);
        List<Event> attested = fetch(Filter.builder().kinds(31403).authors(market.routerKeys.publicKey())
                .tag('d', boaster.pubkey()).build(), 1);
        assertThat(attested).hasSize(1);
        assertThat(claim.evidence()).contains(attested.get(0).id());
        List<Event> evidence = fetch(Filter.builder().ids(claim.evidence().toArray(String[]::new)).build(), 2);
        assertThat(SlashClaimVerifier.verify(claimEvent, evidence, Instant.now().getEpochSecond()))
                .isInstanceOf(SlashVerdict.Valid.class);

        // and the slashed node still gets no work, however cheap it is
        Event spec = market.spec(client);
        Quote quote = market.quote(client, spec.id(), 1);
        assertThat(quote.node()).isEqualTo(modest.pubkey());
        assertThat(market.quotes(boaster, spec.id())).isZero();
    }

    /** One paid embedding job of a full benchmark batch pinned to {@code node}, metered and receipted. */
    private void batchJob(ScriptedPeer client, ScriptedPeer node) {
        long now = client.now();
        JobRequest.Spec s = new JobRequest.Spec(MarketFixture.MODEL, "embedding",
                JobRequest.commitmentOf(MarketFixture.TEXTS), 21, MisrepresentationWatch.MIN_UNITS, 20_000,
                new JobRequest.Constraints(Set.of(node.pubkey()), Set.of(), ""), PaymentTiming.BEFORE, now + 60,
                now + 300);
        Event spec = client.publish(JobRequestCodec.encode(s, client.keys, market.routerKeys.publicKey(), now));
        Quote quote = market.quote(node, spec.id(), 1);
        market.status(node, quote, JobStatus.State.ACCEPTED);
        PaymentProof.Paid nodePaid = MarketFixture.pay(client, market.invoice(node, quote));
        market.proof(client, spec.id(), List.of(nodePaid, MarketFixture.pay(client, market.feeInvoice(client, spec.id()))));
        var order = market.workOrder(node, spec.id());
        market.receipt(node, market.meter(node, quote, quote.nodePriceMsat(), order.paymentHashes()).id());
    }

    private List<Event> fetch(Filter filter, int expected) {
        List<Event> found = new CopyOnWriteArrayList<>();
        try (Subscription sub = market.peers.subscribe(List.of(filter), (e, r) -> found.add(e))) {
            await().atMost(ScriptedPeer.WAIT).until(() -> found.size() >= expected);
        }
        return new ArrayList<>(found);
    }
}
