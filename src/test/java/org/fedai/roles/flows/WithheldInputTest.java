package org.fedai.roles.flows;

import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.SlashClaimCodec;
import org.fedai.protocol.WorkOrder;
import org.fedai.roles.trust.SlashClaimVerifier;
import org.fedai.roles.trust.SlashVerdict;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.store.NodeJobState;
import org.fedai.store.RouterJobState;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant "a node is slashed only on evidence that nothing a client or router controls could fake": a client
 * sends a pay-after or atomic spec, takes the quote, and never sends its input. The real router orders nothing
 * (it orders those timings on the node's {@code input_received}), the real node fails the job at deliver_by with
 * reason {@code input_missing}, the router books it to the client, not the node, and claims nothing; and a claim
 * a dishonest router might sign with a work order of its own is refused by the verifier ({@code no_input_receipt}).
 */
@RelayTest
class WithheldInputTest extends FlowTest {

    @ParameterizedTest
    @EnumSource(value = PaymentTiming.class, names = {"AFTER", "ATOMIC"})
    void aClientThatWithholdsItsInputCannotGetTheNodeSlashed(PaymentTiming timing) throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200)); RelayPool pool = m.newPool()) {
            KeyPair withholder = KeyPair.generate();
            List<Event> statuses = new CopyOnWriteArrayList<>();
            pool.subscribe(List.of(Filter.builder().kinds(4405).authors(m.nodeKeys.publicKey()).build()),
                    (e, relay) -> statuses.add(e));
            long now = System.currentTimeMillis() / 1000;
            List<String> texts = FlowMarket.TEXTS;
            JobRequest.Spec spec = new JobRequest.Spec(EmbeddedRunner.EMBEDDING_MODEL, "embedding",
                    JobRequest.commitmentOf(texts), new JobRequest.Input("", texts, Map.of(), 0).bytes(), texts.size(),
                    100_000, JobRequest.Constraints.none(), timing, now + 4, now + 4);
            Event specEvent = EventSigner.sign(JobRequestCodec.encode(spec, withholder, m.routerKeys.publicKey(), now),
                    withholder);
            pool.publish(specEvent, WAIT);
            String job = specEvent.id();

            // the node accepts the quote; the input never comes, so no work order and no debt
            await().atMost(WAIT).until(() -> m.ledger.job(JobId.of(job)).map(j -> j.state() == RouterJobState.ACCEPTED)
                    .orElse(false));
            // past deliver_by the node gives the job up, saying why; the router books it to the client
            await().atMost(WAIT).until(() -> m.nodeJournal.job(JobId.of(job)).map(j -> j.state() == NodeJobState.FAILED)
                    .orElse(false));
            await().atMost(WAIT).until(() -> m.ledger.job(JobId.of(job)).map(j -> j.state() == RouterJobState.FAILED)
                    .orElse(false));
            assertThat(m.ledger.workOrder(JobId.of(job))).isEmpty();
            assertThat(m.ledger.debt(JobId.of(job))).isEmpty();
            assertThat(m.router.activity().get("4405:input_withheld")).isEqualTo(1);
            assertThat(m.router.registry().stats(PublicKey.of(m.nodeKeys.publicKey())).failures()).isZero();
            assertThat(m.ledger.slashClaim(JobId.of(job))).isEmpty();
            assertThat(m.router.activity().get("4409:sent")).isZero();
            await().atMost(WAIT).until(() -> statuses.stream().anyMatch(e -> reason(e).equals("input_missing")));
            assertThat(statuses).noneMatch(e -> state(e) == JobStatus.State.INPUT_RECEIVED);

            // a router that signs an order of its own and claims non-delivery proves nothing
            Event accepted = statuses.stream().filter(e -> state(e) == JobStatus.State.ACCEPTED).findFirst()
                    .orElseThrow();
            long later = System.currentTimeMillis() / 1000 + 10;
            Event forgedOrder = EventSigner.sign(PaymentCodecs.encodeWorkOrder(new WorkOrder(job, "ab".repeat(32),
                    withholder.publicKey(), WorkAuthorization.forTiming(timing), List.of(), now + 4),
                    m.routerKeys, m.nodeKeys.publicKey(), now), m.routerKeys);
            Event claim = EventSigner.sign(SlashClaimCodec.encode(new SlashClaim(m.nodeKeys.publicKey(),
                    SlashClaim.Reason.NON_DELIVERY, List.of(accepted.id(), forgedOrder.id()), job, "", "withheld"),
                    later), m.routerKeys);
            SlashVerdict verdict = SlashClaimVerifier.verify(claim, List.of(accepted, forgedOrder), later);
            assertThat(verdict).isInstanceOfSatisfying(SlashVerdict.Invalid.class,
                    i -> assertThat(i.refusal()).isEqualTo(SlashVerdict.Refusal.NO_INPUT_RECEIPT));
        }
    }

    private static JobStatus.State state(Event e) {
        return JobProgressCodecs.decodeStatus(e).orElseThrow().state();
    }

    private static String reason(Event e) {
        return JobProgressCodecs.decodeStatus(e).orElseThrow().reason();
    }
}
