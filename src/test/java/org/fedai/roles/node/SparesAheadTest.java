package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.RouterAnnouncementCodec;
import org.junit.jupiter.api.Test;

/**
 * Which spares a node keeps ahead of any job, and for whom (4402-invoice.md, "Spare invoices"): the spares themselves
 * are {@link SpareInvoices}'; here the top-ups asked are recorded, on a clock the test moves.
 */
class SparesAheadTest {

    private record Asked(PublicKey router, Msat price, JobId madeOn, boolean hold) {
    }

    private final AtomicLong seconds = new AtomicLong(1_800_000_000L);
    private final InstantSource clock = () -> Instant.ofEpochSecond(seconds.get());
    private final List<Asked> asked = new ArrayList<>();
    private final NodeConfig config = NodeConfig.defaults(KeyPair.generate(), "n")
            .withPricing(Msat.of(1500), Msat.of(2000));

    private SparesAhead ahead(NodeConfig with) {
        return new SparesAhead(with, clock, (router, price, madeOn, hold) -> asked.add(
                new Asked(router, price, madeOn, hold)));
    }

    @Test
    void anAnnouncedRouterIsAskedForBothKindsAtOneTextsPriceLabelledWithItsAnnouncement() {
        KeyPair router = KeyPair.generate();
        Event announcement = announcement(router, seconds.get(), 3600);
        assertThat(ahead(config).onAnnouncement(announcement)).isEmpty();
        assertThat(asked).containsExactlyInAnyOrder(
                new Asked(key(router), Msat.of(2000), JobId.of(announcement.id()), false),
                new Asked(key(router), Msat.of(2000), JobId.of(announcement.id()), true));
    }

    @Test
    void onlyTheKindsTheNodesTimingsTakeAndNothingForAFreeNode() {
        ahead(config.withTimings(Set.of(PaymentTiming.BEFORE))).onAnnouncement(announcement(KeyPair.generate(),
                seconds.get(), 3600));
        assertThat(asked).as("a before job's spare is a hold invoice").singleElement().extracting(Asked::hold)
                .isEqualTo(true);
        asked.clear();
        ahead(config.withTimings(Set.of(PaymentTiming.AFTER))).onAnnouncement(announcement(KeyPair.generate(),
                seconds.get(), 3600));
        assertThat(asked).singleElement().extracting(Asked::hold).isEqualTo(false);
        asked.clear();
        ahead(config.withTimings(Set.of(PaymentTiming.HOLD))).onAnnouncement(announcement(KeyPair.generate(),
                seconds.get(), 3600));
        assertThat(asked).singleElement().extracting(Asked::hold).isEqualTo(true);
        asked.clear();
        ahead(config.withPricing(Msat.ZERO, Msat.ZERO)).onAnnouncement(announcement(KeyPair.generate(),
                seconds.get(), 3600));
        assertThat(asked).as("free work is paid by no invoice").isEmpty();
    }

    @Test
    void aRouterTheOperatorsPolicyDoesNotAdmitGetsNoneAndAnExpiredAnnouncementIsRefused() {
        KeyPair admitted = KeyPair.generate();
        SparesAhead ahead = ahead(config.withRouters(RouterTrust.only(Set.of(key(admitted)))));
        assertThat(ahead.onAnnouncement(announcement(KeyPair.generate(), seconds.get(), 3600))).isEmpty();
        assertThat(asked).isEmpty();
        assertThat(ahead.onAnnouncement(announcement(admitted, seconds.get() - 7200, 3600))).isPresent();
        assertThat(asked).isEmpty();
    }

    @Test
    void atMostEightRoutersTheFirstSeenFirstAndTheNextOnceOneLapses() {
        SparesAhead ahead = ahead(config);
        List<KeyPair> routers = new ArrayList<>();
        for (int i = 0; i <= SparesAhead.MAX_ROUTERS; i++) {
            KeyPair router = KeyPair.generate();
            routers.add(router);
            // the first router's announcement lapses first
            ahead.onAnnouncement(announcement(router, seconds.get(), i == 0 ? 60 : 3600));
        }
        KeyPair ninth = routers.get(SparesAhead.MAX_ROUTERS);
        assertThat(asked).extracting(Asked::router).doesNotContain(key(ninth))
                .containsAll(routers.subList(0, SparesAhead.MAX_ROUTERS).stream().map(SparesAheadTest::key).toList());

        asked.clear();
        seconds.addAndGet(61);
        ahead.keep();
        assertThat(asked).extracting(Asked::router).contains(key(ninth)).doesNotContain(key(routers.get(0)))
                .hasSize(2 * SparesAhead.MAX_ROUTERS);
    }

    private static PublicKey key(KeyPair keys) {
        return PublicKey.of(keys.publicKey());
    }

    private static Event announcement(KeyPair router, long createdAt, long lifetime) {
        return EventSigner.sign(announcement(createdAt, lifetime), router);
    }

    /** A router's 31401, live from {@code createdAt} for {@code lifetime} seconds. */
    static UnsignedEvent announcement(long createdAt, long lifetime) {
        return RouterAnnouncementCodec.encode(new RouterAnnouncement("r", "test",
                new RouterAnnouncement.Fee(0, 0), new PaymentTerms(Set.of(PaymentTiming.BEFORE),
                        "03" + "cd".repeat(32), "regtest"), new RouterAnnouncement.Policy(1_000_000, 0, 60),
                new RouterAnnouncement.Probation(RouterAnnouncement.ProbationState.PROBATION, 60, 50, 1500, 1000,
                        250_000, 100_000, 65_536, ""), Map.of(), List.of(), createdAt + lifetime), createdAt);
    }
}
