package org.fedai.roles.router;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.RouterAnnouncement;

/**
 * How a router runs. Deadlines follow event-kinds/market-flow.md: quotes live {@code quoteLifetime}
 * (default 120 s), a node has {@code acceptTimeout} (default 15 s) to publish {@code accepted}.
 *
 * @param routerId          the announcement's {@code d} tag
 * @param deniedClients     client pubkeys whose specs are refused (counted {@code 4400:client_denied})
 * @param relays            the relays announced in 31401 (where clients and nodes can reach the router)
 * @param announceInterval  how often the announcement is republished; it expires after twice that
 * @param resubscribeMargin how far before the last processed event a restart resubscribes
 * @param servedNodes       the only nodes this router quotes (empty: every live node); a node run alone with
 *                          {@code fedai node --nip90} has a router of its own that quotes nobody else
 */
public record RouterConfig(KeyPair keys, String routerId, RouterAnnouncement.Fee fee,
        RouterAnnouncement.Policy policy, Duration acceptTimeout, Duration quoteLifetime, Duration announceInterval,
        Duration publishDeadline, Duration resubscribeMargin, Set<String> deniedClients, List<String> relays,
        Set<String> servedNodes, InstantSource clock) {

    public static final String SOFTWARE = "fedai/0.1.0";

    public RouterConfig {
        deniedClients = Set.copyOf(deniedClients);
        servedNodes = Set.copyOf(servedNodes);
        relays = List.copyOf(relays);
        if (acceptTimeout.isNegative() || acceptTimeout.isZero() || quoteLifetime.compareTo(acceptTimeout) < 0) {
            throw new IllegalArgumentException("accept timeout must be positive and within the quote lifetime");
        }
        if (quoteLifetime.toSeconds() > 3600 || announceInterval.toSeconds() * 2 > 24 * 3600) {
            throw new IllegalArgumentException("quotes live at most 1 h, announcements at most 24 h");
        }
    }

    /** 100 msat + 1 % fee, 1 000 000 msat job ceiling, 60 jobs per minute per client, market-flow deadlines. */
    public static RouterConfig defaults(KeyPair keys) {
        return new RouterConfig(keys, "router", new RouterAnnouncement.Fee(100, 10_000),
                new RouterAnnouncement.Policy(1_000_000, 0, 60), Duration.ofSeconds(15), Duration.ofSeconds(120),
                Duration.ofMinutes(30), Duration.ofSeconds(10), Duration.ofSeconds(60), Set.of(), List.of(), Set.of(),
                InstantSource.system());
    }

    public RouterConfig withFee(RouterAnnouncement.Fee f) {
        return new RouterConfig(keys, routerId, f, policy, acceptTimeout, quoteLifetime, announceInterval,
                publishDeadline, resubscribeMargin, deniedClients, relays, servedNodes, clock);
    }

    public RouterConfig withPolicy(RouterAnnouncement.Policy p) {
        return new RouterConfig(keys, routerId, fee, p, acceptTimeout, quoteLifetime, announceInterval,
                publishDeadline, resubscribeMargin, deniedClients, relays, servedNodes, clock);
    }

    public RouterConfig withAcceptTimeout(Duration timeout) {
        return new RouterConfig(keys, routerId, fee, policy, timeout, quoteLifetime, announceInterval,
                publishDeadline, resubscribeMargin, deniedClients, relays, servedNodes, clock);
    }

    public RouterConfig withDeniedClients(Set<String> denied) {
        return new RouterConfig(keys, routerId, fee, policy, acceptTimeout, quoteLifetime, announceInterval,
                publishDeadline, resubscribeMargin, denied, relays, servedNodes, clock);
    }

    public RouterConfig withRelays(List<String> urls) {
        return new RouterConfig(keys, routerId, fee, policy, acceptTimeout, quoteLifetime, announceInterval,
                publishDeadline, resubscribeMargin, deniedClients, urls, servedNodes, clock);
    }

    public RouterConfig withRouterId(String id) {
        return new RouterConfig(keys, id, fee, policy, acceptTimeout, quoteLifetime, announceInterval,
                publishDeadline, resubscribeMargin, deniedClients, relays, servedNodes, clock);
    }

    public RouterConfig withServedNodes(Set<String> nodes) {
        return new RouterConfig(keys, routerId, fee, policy, acceptTimeout, quoteLifetime, announceInterval,
                publishDeadline, resubscribeMargin, deniedClients, relays, nodes, clock);
    }

    public RouterConfig withClock(InstantSource c) {
        return new RouterConfig(keys, routerId, fee, policy, acceptTimeout, quoteLifetime, announceInterval,
                publishDeadline, resubscribeMargin, deniedClients, relays, servedNodes, c);
    }
}
