package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.Quote;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/**
 * Invariant "cheap keys cannot stall a job": eight throwaway nodes, each with a valid cheaper manifest and
 * heartbeats and never accepting, beside one honest node that has served this router before. Every job ends with
 * the honest node; a fake leads a job only in the exploration share, at most once per key, and only with the short
 * newcomer accept_by ({@link NewcomerLimits}), so a job waits at most one such window. The plain price ranking
 * would have tried all eight in turn, 15 s each.
 */
@RelayTest
class RouterSybilTest extends MarketFixtureTest {

    private static final int JOBS = 30;

    @Test
    void eightCheapKeysThatNeverAcceptCostAJobAtMostOneShortWindow() {
        ScriptedPeer honest = market.node("honest", 1500, Set.of(PaymentTiming.BEFORE));
        List<ScriptedPeer> fakes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fakes.add(market.node("fake-" + i, 500, Set.of(PaymentTiming.BEFORE)));
        }
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        List<ScriptedPeer> all = new ArrayList<>(fakes);
        all.add(honest);
        market.awaitLive(all.toArray(ScriptedPeer[]::new));
        serveOnce(client, honest);

        Map<String, Integer> ledBy = new HashMap<>();
        long shortWindow = Math.min(NewcomerLimits.DEFAULT.acceptTimeout().toSeconds(),
                market.config.acceptTimeout().toSeconds());
        long lifetime = market.config.quoteLifetime().toSeconds();
        for (int i = 0; i < JOBS; i++) {
            Event spec = market.spec(client);
            Quote first = market.quote(client, spec.id(), 1);
            Quote taken = first;
            if (!first.node().equals(honest.pubkey())) {
                ledBy.merge(first.node(), 1, Integer::sum);
                assertThat(NewcomerLimits.DEFAULT.explores(JobId.of(spec.id()))).as("a fake leads only in the share").isTrue();
                assertThat(first.acceptBy()).as("a newcomer's window is short")
                        .isLessThanOrEqualTo(first.expiresAt() - lifetime + shortWindow + 1);
                assertThat(first.fallback()).as("a proven node backs the newcomer").isEqualTo(honest.pubkey());
                taken = market.quote(client, spec.id(), 2);
            }
            assertThat(taken.node()).isEqualTo(honest.pubkey());
            market.status(honest, taken, JobStatus.State.ACCEPTED);
            assertThat(market.quotes(client, spec.id())).as("at most one newcomer per job").isLessThanOrEqualTo(2);
        }
        assertThat(ledBy.values()).as("each fake led at most once, then it is tried last").allMatch(n -> n == 1);
        assertThat(router.activity().get("4401:accept_timeout")).isEqualTo(ledBy.size());
    }

    /** One metered job from the honest node: from then on it is proven here. */
    private void serveOnce(ScriptedPeer client, ScriptedPeer node) {
        Event spec = market.spec(client, 20_000, PaymentTiming.BEFORE,
                new JobRequest.Constraints(Set.of(node.pubkey()), Set.of(), ""));
        market.serveAndMeter(client, node, spec.id());
        assertThat(NewcomerLimits.proven(market.router.registry().stats(node.key()))).isTrue();
    }
}
