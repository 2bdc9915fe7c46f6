package org.fedai.roles.node;

import org.fedai.domain.PublicKey;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.RouterAnnouncementCodec;

/**
 * A {@link RouterTrust} fed by 31401 announcements: a node takes quotes from every router with a live (unexpired)
 * announcement that its operator's policy admits, so one node serves several routers. {@code allowed} narrows it
 * to named routers (empty: any announced one); {@code graduatedOnly} to routers whose announcement shows them
 * graduated from probation under fedai's documented standard ({@link RouterAnnouncement.Probation#graduatedUnder}).
 * The pool verifies signatures; the newest announcement per router counts. Work orders are still taken only from
 * the router that quoted the job.
 */
public final class AnnouncedRouters implements RouterTrust, AutoCloseable {

    /** What the operator admits among announced routers. */
    public record Policy(Set<PublicKey> allowed, boolean graduatedOnly) {
        public Policy {
            allowed = Set.copyOf(allowed);
        }

        public static final Policy ANY_ANNOUNCED = new Policy(Set.of(), false);
    }

    private record Seen(long createdAt, long expiresAt, boolean graduated) {
    }

    private final RelayPort pool;
    private final Policy policy;
    private final InstantSource clock;
    private final Map<PublicKey, Seen> routers = new ConcurrentHashMap<>();
    private Subscription subscription;

    public AnnouncedRouters(RelayPort pool, Policy policy, InstantSource clock) {
        this.pool = pool;
        this.policy = policy;
        this.clock = clock;
    }

    public AnnouncedRouters start() {
        subscription = pool.subscribe(List.of(Filter.builder().kinds(FedaiKind.ROUTER_ANNOUNCEMENT.number())
                .tag('t', "fedai").build()), (event, relay) -> onAnnouncement(event));
        return this;
    }

    /** Takes a 31401; false when it does not decode (expired, malformed) or is older than the one held. */
    boolean onAnnouncement(Event event) {
        if (!(RouterAnnouncementCodec.decode(event, now()) instanceof Decoded.Accepted<RouterAnnouncement> a)) {
            return false;
        }
        boolean graduated = a.value().probation().graduatedUnder(RouterAnnouncement.STANDARD_REQUIRED_JOBS,
                RouterAnnouncement.STANDARD_REQUIRED_STAKE_UNITS);
        Seen fresh = new Seen(event.createdAt(), a.value().expiresAt(), graduated);
        return routers.merge(PublicKey.of(event.pubkey()), fresh, (old, neu) -> neu.createdAt() >= old.createdAt() ? neu : old)
                == fresh;
    }

    @Override
    public boolean isRouter(PublicKey pubkey) {
        if (!policy.allowed().isEmpty() && !policy.allowed().contains(pubkey)) {
            return false;
        }
        Seen seen = routers.get(pubkey);
        return seen != null && seen.expiresAt() > now() && (!policy.graduatedOnly() || seen.graduated());
    }

    /** The routers whose quotes are taken now. */
    public Set<PublicKey> trusted() {
        return routers.keySet().stream().filter(this::isRouter).collect(java.util.stream.Collectors.toSet());
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
