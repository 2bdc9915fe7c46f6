package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedai.cli.FedaiCommand;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.NodeAttestation;
import org.fedai.protocol.NodeAttestationCodec;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.SlashClaimCodec;
import org.fedai.protocol.StakeBond;
import org.fedai.protocol.StakeBondCodec;
import org.fedai.roles.trust.SlashClaimVerifier;
import org.fedai.roles.trust.SlashVerdict;
import org.fedai.store.RouterJobState;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The router's trust wiring on a real relay: non-delivery slashing, attestations, stake in selection. */
@RelayTest
class RouterTrustTest extends MarketFixtureTest {

    @Test
    void aNodeThatTakesAPaidOrderAndDeliversNothingIsSlashedAndGetsNoMoreWork() {
        ScriptedPeer silent = market.node("silent", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer honest = market.node("honest", 1500, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(silent, honest);

        Event spec = spec(client, 5); // deliver_by 5 s ahead
        Quote quote = market.quote(silent, spec.id(), 1);
        assertThat(quote.node()).isEqualTo(silent.pubkey()); // the cheaper one
        market.status(silent, quote, JobStatus.State.ACCEPTED);
        market.status(silent, quote, JobStatus.State.INPUT_RECEIVED); // it holds the input: now it answers for it
        PaymentProof.Paid nodePaid = MarketFixture.pay(client, market.invoice(silent, quote));
        PaymentProof.Paid feePaid = MarketFixture.pay(client, market.feeInvoice(client, spec.id()));
        market.proof(client, spec.id(), List.of(nodePaid, feePaid));
        market.workOrder(silent, spec.id());

        // the claim is p-tagged to the accused, so the silent node's inbox receives it from the relay
        SlashClaim claim = silent.awaitEvent(4409, SlashClaimCodec::decode, c -> c.job().equals(spec.id()), 1);
        assertThat(claim.reason()).isEqualTo(SlashClaim.Reason.NON_DELIVERY);
        assertThat(claim.accused()).isEqualTo(silent.pubkey());
        Event claimEvent = silent.inbox.stream().filter(e -> e.kind() == 4409).findFirst().orElseThrow();
        assertThat(claimEvent.pubkey()).isEqualTo(router.publicKey().hex());

        // a third party with only what the relay holds agrees
        List<Event> evidence = fetch(Filter.builder().ids(claim.evidence().toArray(String[]::new)).build(),
                claim.evidence().size());
        assertThat(evidence).extracting(Event::kind).containsExactlyInAnyOrder(4405, 4405, 4404);
        SlashVerdict verdict = SlashClaimVerifier.verify(claimEvent, evidence, Instant.now().getEpochSecond());
        assertThat(verdict).isInstanceOf(SlashVerdict.Valid.class);
        StringWriter out = new StringWriter();
        CommandLine cli = FedaiCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute("verify-slash", claimEvent.id(), "--relay", market.relay.url(), "--timeout", "10");
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).startsWith("valid non_delivery\n").contains("witness " + router.publicKey());

        await().atMost(ScriptedPeer.WAIT).until(() -> market.ledger.job(JobId.of(spec.id())).orElseThrow().state()
                == RouterJobState.FAILED);
        assertThat(router.slashedNodes()).containsExactly(silent.key());
        assertThat(router.registry().stats(silent.key()).nonDeliveries()).isEqualTo(1);
        assertThat(market.ledger.slashClaim(JobId.of(spec.id()))).contains(EventId.of(claimEvent.id()));
        assertThat(router.activity().get("4409:sent")).isEqualTo(1);

        // its attestation now says so: the non-delivery counted, no routing weight
        NodeAttestation attested = silent.awaitEvent(31403, e -> NodeAttestationCodec.decode(e, silent.now()),
                a -> a.timeouts() == 1, 1);
        assertThat(attested.node()).isEqualTo(silent.pubkey());
        assertThat(attested.jobsObserved()).isEqualTo(1);
        assertThat(attested.routingWeight()).isZero();

        // cheaper still, but never quoted again, not even after a restart
        assertNextJobGoesTo(client, honest, silent);
        market.stopRouter();
        RouterRole restarted = market.startRouter();
        assertThat(restarted.slashedNodes()).containsExactly(silent.key());
        market.awaitLive(silent, honest);
        assertNextJobGoesTo(client, honest, silent);
        assertThat(restarted.activity().get("4409:sent")).isZero(); // the old job is not claimed twice
    }

    @Test
    void aNodeThatDeliversIsAttestedAndNeverClaimedAgainst() {
        ScriptedPeer node = market.node("node", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(node);

        Event spec = spec(client, 3);
        Quote quote = market.quote(node, spec.id(), 1);
        market.status(node, quote, JobStatus.State.ACCEPTED);
        PaymentProof.Paid nodePaid = MarketFixture.pay(client, market.invoice(node, quote));
        PaymentProof.Paid feePaid = MarketFixture.pay(client, market.feeInvoice(client, spec.id()));
        market.proof(client, spec.id(), List.of(nodePaid, feePaid));
        var order = market.workOrder(node, spec.id());
        Event record = market.meter(node, quote, quote.nodePriceMsat(), order.paymentHashes());
        market.receipt(node, record.id());

        NodeAttestation a = node.awaitEvent(31403, e -> NodeAttestationCodec.decode(e, node.now()),
                x -> x.jobsObserved() == 1, 1);
        assertThat(a.node()).isEqualTo(node.pubkey());
        assertThat(a.successRate()).isGreaterThan(0.5);
        assertThat(a.timeouts()).isZero();
        assertThat(a.routingWeight()).isEqualTo(1.0); // the only node it knows, and it delivered
        // well past deliver_by, the metered job is left alone
        await().atMost(ScriptedPeer.WAIT).until(() -> client.now() > spec.createdAt() + 3 + 2);
        assertThat(router.activity().get("4409:sent")).isZero();
        assertThat(router.slashedNodes()).isEmpty();
    }

    @Test
    void aResultOnTheRelayWithoutAMeteringRecordIsNoGroundForAClaim() {
        ScriptedPeer node = market.node("node", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(node);

        Event spec = spec(client, 5);
        Quote quote = market.quote(node, spec.id(), 1);
        market.status(node, quote, JobStatus.State.ACCEPTED);
        market.status(node, quote, JobStatus.State.INPUT_RECEIVED);
        PaymentProof.Paid nodePaid = MarketFixture.pay(client, market.invoice(node, quote));
        PaymentProof.Paid feePaid = MarketFixture.pay(client, market.feeInvoice(client, spec.id()));
        market.proof(client, spec.id(), List.of(nodePaid, feePaid));
        market.workOrder(node, spec.id());
        // delivered to the client in time, but the node never sends its metering record
        JobResult r = new JobResult(spec.id(), "text", "done", 1, 1, JobResult.sha256("done"), 2, "text");
        node.publish(JobProgressCodecs.encodeResult(r, node.keys, client.pubkey(), node.now()));

        market.awaitCount("4409:withheld_result_delivered", 1);
        assertThat(router.activity().get("4409:sent")).isZero();
        assertThat(router.slashedNodes()).isEmpty();
        assertThat(market.ledger.slashClaim(JobId.of(spec.id()))).isEmpty();
        assertThat(node.inbox).noneMatch(e -> e.kind() == 4409);
    }

    @Test
    void stakeBreaksATieButCannotRescueANodeThatTimesOut() {
        ScriptedPeer first = market.node("first", 1000, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer second = market.node("second", 1000, Set.of(PaymentTiming.BEFORE));
        // without stake the tie goes to the smaller key: bond the other one
        ScriptedPeer bonded = first.pubkey().compareTo(second.pubkey()) > 0 ? first : second;
        ScriptedPeer plain = bonded == first ? second : first;
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(first, second);
        KeyPair bonder = KeyPair.generate();
        long now = client.now();
        market.peers.publish(EventSigner.sign(StakeBondCodec.encode(new StakeBond("bond-1", bonded.pubkey(), 5000,
                86_400, now + 86_400), now), bonder), ScriptedPeer.WAIT).join();
        await().atMost(ScriptedPeer.WAIT).until(() -> router.stake().weight(bonded.key()) > 0.99);
        assertThat(router.stake().weight(plain.key())).isZero();

        Event tie = market.spec(client);
        Quote q1 = market.quote(client, tie.id(), 1);
        assertThat(q1.node()).isEqualTo(bonded.pubkey());
        assertThat(q1.fallback()).isEqualTo(plain.pubkey());
        // the bonded node never accepts: accept_by passes and the fallback is quoted
        Quote q2 = market.quote(client, tie.id(), 2);
        assertThat(q2.node()).isEqualTo(plain.pubkey());
        assertThat(router.registry().stats(bonded.key()).timeouts()).isEqualTo(1);

        Event next = market.spec(client);
        assertThat(market.quote(client, next.id(), 1).node()).isEqualTo(plain.pubkey());
        assertThat(router.stake().weight(bonded.key())).isGreaterThan(0.99); // still bonded, still loses
    }

    @Test
    void aNodeWhoseManifestOverstatesItsThroughputIsMeasuredAttestedAndSlashed() {
        String key = MisrepresentationWatch.BENCHMARK;
        ScriptedPeer boaster = market.node("boaster", 100, Set.of(PaymentTiming.BEFORE), Map.of(key, 1_000_000.0));
        ScriptedPeer modest = market.node("modest", 150, Set.of(PaymentTiming.BEFORE), Map.of(key, 0.5));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(boaster, modest);

        for (ScriptedPeer node : List.of(boaster, modest)) {
            for (int i = 0; i < MisrepresentationWatch.MIN_JOBS; i++) {
                runBatchJob(client, node);
            }
        }

        // the claim against the boaster cites its manifest and the router's 31403 with the measured figure
        SlashClaim claim = boaster.awaitEvent(4409, SlashClaimCodec::decode,
                c -> c.reason() == SlashClaim.Reason.MISREPRESENTATION, 1);
        assertThat(claim.benchmark()).isEqualTo(key);
        Event claimEvent = boaster.inbox.stream().filter(e -> e.kind() == 4409).findFirst().orElseThrow();
        List<Event> evidence = fetch(Filter.builder().ids(claim.evidence().toArray(String[]::new)).build(), 2);
        assertThat(evidence).extracting(Event::kind).containsExactlyInAnyOrder(31400, 31403);
        NodeAttestation measured = evidence.stream().filter(e -> e.kind() == 31403)
                .map(e -> NodeAttestationCodec.decode(e, e.createdAt()).orElseThrow()).findFirst().orElseThrow();
        assertThat(measured.benchmarks().get(key)).isPositive().isLessThan(500_000.0);
        assertThat(SlashClaimVerifier.verify(claimEvent, evidence, Instant.now().getEpochSecond()))
                .isInstanceOf(SlashVerdict.Valid.class);
        StringWriter out = new StringWriter();
        CommandLine cli = FedaiCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("verify-slash", claimEvent.id(), "--relay", market.relay.url(), "--timeout", "10"))
                .as(out.toString()).isZero();
        assertThat(out.toString()).startsWith("valid misrepresentation\n").contains("witness " + router.publicKey());

        // a node that claims less than it delivers is measured too, and never accused
        NodeAttestation fair = modest.awaitEvent(31403, e -> NodeAttestationCodec.decode(e, modest.now()),
                a -> a.benchmarks().containsKey(key), 1);
        assertThat(fair.benchmarks().get(key)).isGreaterThan(1.0);
        await().atMost(ScriptedPeer.WAIT).until(() -> router.slashedNodes().contains(boaster.key()));
        assertThat(router.slashedNodes()).containsExactly(boaster.key());
        assertThat(router.activity().get("4409:sent")).isEqualTo(1);
        // the cheaper boaster gets no more work
        assertNextJobGoesTo(client, modest, boaster);
    }

    /** One paid embedding job of a full benchmark batch, pinned to {@code node}, metered and receipted. */
    private void runBatchJob(ScriptedPeer client, ScriptedPeer node) {
        long now = client.now();
        long units = MisrepresentationWatch.MIN_UNITS;
        JobRequest.Spec s = new JobRequest.Spec(MarketFixture.MODEL, "embedding",
                JobRequest.commitmentOf(MarketFixture.TEXTS), 21, units, 20_000,
                new JobRequest.Constraints(Set.of(node.pubkey()), Set.of(), ""), PaymentTiming.BEFORE, now + 60,
                now + 300);
        Event spec = client.publish(JobRequestCodec.encode(s, client.keys, market.routerKeys.publicKey(), now));
        market.serveAndMeter(client, node, spec.id());
    }

    private void assertNextJobGoesTo(ScriptedPeer client, ScriptedPeer expected, ScriptedPeer never) {
        Event spec = market.spec(client);
        Quote quote = market.quote(client, spec.id(), 1);
        assertThat(quote.node()).isEqualTo(expected.pubkey());
        assertThat(quote.fallback()).isNotEqualTo(never.pubkey());
        assertThat(market.quotes(never, spec.id())).isZero();
    }

    /** A spec whose deliver_by is {@code seconds} ahead, so the deadline passes during the test. */
    private Event spec(ScriptedPeer client, long seconds) {
        long now = client.now();
        JobRequest.Spec spec = new JobRequest.Spec(MarketFixture.MODEL, "embedding",
                JobRequest.commitmentOf(MarketFixture.TEXTS), 21, MarketFixture.TEXTS.size(), 20_000,
                JobRequest.Constraints.none(), PaymentTiming.BEFORE, now + seconds, now + 300);
        return client.publish(JobRequestCodec.encode(spec, client.keys, market.routerKeys.publicKey(), now));
    }

    private List<Event> fetch(Filter filter, int expected) {
        List<Event> found = new CopyOnWriteArrayList<>();
        try (Subscription sub = market.peers.subscribe(List.of(filter), (e, r) -> found.add(e))) {
            await().atMost(ScriptedPeer.WAIT).until(() -> found.size() >= expected);
        }
        return new ArrayList<>(found);
    }
}
