package org.fedai.roles.router;

import org.fedai.domain.Msat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobStatus;
import org.fedai.roles.client.ClientConfig;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.JobSubmission;
import org.fedai.store.ClientJournal;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/**
 * A router that will not route a valid job says so in a signed 4405 {@code error} with a reason code, and the
 * real client fails the job at once rather than at deliver_by; forged and malformed specs get no answer.
 */
@RelayTest
class RouterRefusalTest extends MarketFixtureTest {

    /** Far beyond the test's wait: a failure inside the wait can only be the refusal. */
    private static final long DELIVER_WITHIN_S = 600;

    private JobOutcome submitThroughRealClient(long maxPriceMsat) throws Exception {
        KeyPair keys = KeyPair.generate();
        var wallet = market.network.wallet("real-client", KeyPair.generate().secretKey());
        market.network.deposit("real-client", 1_000_000);
        try (RelayPool pool = market.pool();
                ClientJournal journal = ClientJournal.inMemory();
                ClientRole client = new ClientRole(ClientConfig.of(keys, PublicKey.of(market.routerKeys.publicKey())), pool,
                        wallet, journal).start()) {
            JobSubmission submission = new JobSubmission(MarketFixture.MODEL, "embedding", MarketFixture.TEXTS,
                    Map.of(), Msat.of(maxPriceMsat), JobRequest.Constraints.none(), PaymentTiming.BEFORE, DELIVER_WITHIN_S);
            JobOutcome outcome = client.submit(submission).get(ScriptedPeer.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(client.rejections()).doesNotContainKey("router_status_not_a_refusal");
            return outcome;
        }
    }

    @Test
    void clientLearnsAtOnceThatNoNodeCanDoTheJob() throws Exception {
        market.startRouter();
        JobOutcome outcome = submitThroughRealClient(20_000);
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failure()).startsWith("router refused: no_capable_node");
        assertThat(outcome.paid().isZero()).isTrue();
        assertThat(market.router.activity().get("4405:refused")).isEqualTo(1);
        assertThat(market.router.counters().get("4405:unknown_job")).as("its own notice is not refused").isZero();
    }

    @Test
    void clientLearnsAtOnceThatTheJobIsOverItsMaxPrice() throws Exception {
        ScriptedPeer node = market.node("node-a", 1000, Set.of(PaymentTiming.BEFORE));
        market.startRouter();
        market.awaitLive(node);
        JobOutcome outcome = submitThroughRealClient(2_119); // 2000 node + 120 fee does not fit
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failure()).startsWith("router refused: over_max_price");
    }

    @Test
    void refusalsAreSignedByTheRouterAndCarryTheReasonCode() {
        market.startRouter();
        ScriptedPeer client = market.client("client");
        Event spec = market.spec(client);
        JobStatus refusal = client.awaitEvent(4405, JobProgressCodecs::decodeStatus, s -> s.jobId().equals(spec.id()),
                1);
        assertThat(refusal.state()).isEqualTo(JobStatus.State.ERROR);
        assertThat(refusal.reason()).isEqualTo("no_capable_node");
        assertThat(refusal.client()).isEqualTo(client.pubkey());
        assertThat(refusal.router()).isEqualTo(market.routerKeys.publicKey());
        assertThat(client.inbox).filteredOn(e -> e.kind() == 4405).extracting(Event::pubkey)
                .containsExactly(market.routerKeys.publicKey());
    }

    @Test
    void malformedSpecsGetNoAnswer() {
        market.startRouter();
        ScriptedPeer client = market.client("client");
        // signed by the client, but its content is not a sealed spec: a decode rejection, answered by nothing
        client.publish(new UnsignedEvent(client.now(), 4400, List.of(List.of("p", market.routerKeys.publicKey()),
                List.of("t", "fedai"), List.of("v", "1")), "not sealed"));
        await().atMost(ScriptedPeer.WAIT).until(() -> market.router.counters().snapshot().keySet().stream()
                .anyMatch(k -> k.startsWith("4400:")));
        Event valid = market.spec(client); // handled after the malformed one, on the router's one thread
        client.awaitEvent(4405, JobProgressCodecs::decodeStatus, s -> s.jobId().equals(valid.id()), 1);
        assertThat(client.inbox).filteredOn(e -> e.kind() == 4405).hasSize(1);
    }

    @Test
    void noticesAreCappedPerClient() {
        market.startRouter();
        ScriptedPeer client = market.client("client");
        int specs = RefusalNotices.PER_CLIENT_PER_MINUTE + 2;
        for (int i = 0; i < specs; i++) {
            market.spec(client);
        }
        market.awaitCount("4400:no_capable_node", specs);
        await().atMost(ScriptedPeer.WAIT).until(() -> market.router.counters().get("4405:refusal_notice_capped") == 2
                && client.inbox.stream().filter(e -> e.kind() == 4405).count() >= RefusalNotices.PER_CLIENT_PER_MINUTE);
        assertThat(client.inbox).filteredOn(e -> e.kind() == 4405).hasSize(RefusalNotices.PER_CLIENT_PER_MINUTE);
    }
}
