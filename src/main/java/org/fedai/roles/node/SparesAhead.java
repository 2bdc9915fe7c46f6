package org.fedai.roles.node;

import java.time.InstantSource;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.RouterAnnouncementCodec;

/**
 * Spare invoices kept ahead of any job, when the operator asks for them ({@code fedai node --spares-ahead},
 * {@link NodeRole#keepSparesAhead}; 4402-invoice.md, "Spare invoices"): for every router whose announcement
 * (31401) the node holds and whose quotes it takes, two of each kind its timings take at the price of one text (what
 * the default pricing quotes a spec of one text at), so that the first such job a router quotes here goes the way a
 * returning client's does (5 hops before work over NWC, not 8). Made again as they are taken or near their expiry,
 * on every sweep. At most {@link #MAX_ROUTERS} routers are served so, the first seen first: announcing many router
 * keys makes a node's wallet hold a bounded number of open invoices, and a router past the bound is only slower to
 * its first job. State-thread only.
 */
final class SparesAhead {

    /** Routers served with spares ahead at once. */
    static final int MAX_ROUTERS = 8;
    /** Announcements remembered at once (trusted or not yet: the operator's policy may admit a router later). */
    static final int MAX_ANNOUNCED = 64;

    /** What makes spares: {@link SpareInvoices#topUp}. */
    interface TopUp {
        void topUp(PublicKey router, Msat price, JobId madeOn, boolean hold);
    }

    /** A router's newest announcement: its id labels the spares made ahead for it (4402 {@code job}). */
    private record Announced(JobId id, long createdAt, long expiresAt, long firstSeen) {
    }

    private final NodeConfig config;
    private final InstantSource clock;
    private final TopUp spares;
    private final Map<PublicKey, Announced> announced = new ConcurrentHashMap<>();
    private final AtomicLong seen = new AtomicLong();

    SparesAhead(NodeConfig config, InstantSource clock, TopUp spares) {
        this.config = config;
        this.clock = clock;
        this.spares = spares;
    }

    /** A router's announcement: remembered, and spares ahead made for it. Empty when taken; else why not. */
    Optional<String> onAnnouncement(Event e) {
        switch (RouterAnnouncementCodec.decode(e, now())) {
            case Decoded.Rejected<RouterAnnouncement> r -> {
                return Optional.of(r.rejection().reason().code());
            }
            case Decoded.Accepted<RouterAnnouncement> a -> {
                PublicKey router = PublicKey.of(e.pubkey());
                if (!announced.containsKey(router) && announced.size() >= MAX_ANNOUNCED) {
                    return Optional.of("too_many_routers");
                }
                Announced fresh = new Announced(JobId.of(e.id()), e.createdAt(), a.value().expiresAt(),
                        seen.incrementAndGet());
                announced.merge(router, fresh, (held, neu) -> neu.createdAt() >= held.createdAt()
                        ? new Announced(neu.id(), neu.createdAt(), neu.expiresAt(), held.firstSeen()) : held);
                keep();
                return Optional.empty();
            }
        }
    }

    /**
     * Spares ahead for each router still announced and trusted, up to {@link #MAX_ROUTERS}; a router the operator's
     * policy admits only after its announcement came is served from then on.
     */
    void keep() {
        long now = now();
        announced.values().removeIf(a -> a.expiresAt() <= now);
        Msat price = config.priceFor(1);
        if (price.isZero()) {
            return;
        }
        Set<PaymentTiming> offered = config.offeredTimings();
        boolean plain = offered.stream().anyMatch(t -> t.paidBySpare() && !t.paidIntoHoldSpare());
        boolean hold = offered.stream().anyMatch(PaymentTiming::paidIntoHoldSpare);
        announced.entrySet().stream().filter(r -> config.routers().isRouter(r.getKey()))
                .sorted(Comparator.comparingLong(r -> r.getValue().firstSeen())).limit(MAX_ROUTERS).forEach(r -> {
                    if (plain) {
                        spares.topUp(r.getKey(), price, r.getValue().id(), false);
                    }
                    if (hold) {
                        spares.topUp(r.getKey(), price, r.getValue().id(), true);
                    }
                });
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
