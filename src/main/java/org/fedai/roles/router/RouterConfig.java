package org.fedai.roles.router;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
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
 * @param newcomerFeeCredit the fees a client this router never metered a job for may owe it under
 *                          {@code run_on_payment} (4401): its first jobs then go the path of a client that paid a fee
 *                          before (5 relay hops with spares, not 9 to 12), at the risk of this much per client key
 *                          that never pays its fee; zero (the default) quotes a newcomer's first job without it
 */
public record RouterConfig(KeyPair keys, String routerId, RouterAnnouncement.Fee fee,
        RouterAnnouncement.Policy policy, Duration acceptTimeout, Duration quoteLifetime, Duration announceInterval,
        Duration publishDeadline, Duration resubscribeMargin, Set<PublicKey> deniedClients, List<String> relays,
        Set<PublicKey> servedNodes, InstantSource clock, Msat newcomerFeeCredit) {

    public static final String SOFTWARE = "fedai/0.1.0";

    public RouterConfig {
        deniedClients = Set.copyOf(deniedClients);
        servedNodes = Set.copyOf(servedNodes);
        relays = List.copyOf(relays);
        Objects.requireNonNull(newcomerFeeCredit, "newcomerFeeCredit");
        if (acceptTimeout.isNegative() || acceptTimeout.isZero() || quoteLifetime.compareTo(acceptTimeout) < 0) {
            throw new IllegalArgumentException("accept timeout must be positive and within the quote lifetime");
        }
        if (quoteLifetime.toSeconds() > 3600 || announceInterval.toSeconds() * 2 > 24 * 3600) {
            throw new IllegalArgumentException("quotes live at most 1 h, announcements at most 24 h");
        }
    }

    /** 100 msat + 1 % fee, 1 000 000 msat job ceiling, 60 jobs per minute per client, market-flow deadlines. */
    public static RouterConfig defaults(KeyPair keys) {
        return builder(keys).build();
    }

    /** The {@link #defaults} to change one field at a time. */
    public static Builder builder(KeyPair keys) {
        return new Builder(keys);
    }

    public Builder toBuilder() {
        Builder b = new Builder(keys);
        b.routerId = routerId;
        b.fee = fee;
        b.policy = policy;
        b.acceptTimeout = acceptTimeout;
        b.quoteLifetime = quoteLifetime;
        b.announceInterval = announceInterval;
        b.publishDeadline = publishDeadline;
        b.resubscribeMargin = resubscribeMargin;
        b.deniedClients = deniedClients;
        b.relays = relays;
        b.servedNodes = servedNodes;
        b.clock = clock;
        b.newcomerFeeCredit = newcomerFeeCredit;
        return b;
    }

    public RouterConfig withFee(RouterAnnouncement.Fee f) {
        return toBuilder().fee(f).build();
    }

    public RouterConfig withPolicy(RouterAnnouncement.Policy p) {
        return toBuilder().policy(p).build();
    }

    public RouterConfig withAcceptTimeout(Duration timeout) {
        return toBuilder().acceptTimeout(timeout).build();
    }

    public RouterConfig withDeniedClients(Set<PublicKey> denied) {
        return toBuilder().deniedClients(denied).build();
    }

    public RouterConfig withRelays(List<String> urls) {
        return toBuilder().relays(urls).build();
    }

    public RouterConfig withRouterId(String id) {
        return toBuilder().routerId(id).build();
    }

    public RouterConfig withServedNodes(Set<PublicKey> nodes) {
        return toBuilder().servedNodes(nodes).build();
    }

    public RouterConfig withClock(InstantSource c) {
        return toBuilder().clock(c).build();
    }

    public RouterConfig withNewcomerFeeCredit(Msat credit) {
        return toBuilder().newcomerFeeCredit(credit).build();
    }

    /** A router configuration field by field, starting from the defaults; the record checks the whole on build. */
    public static final class Builder {
        private final KeyPair keys;
        private String routerId = "router";
        private RouterAnnouncement.Fee fee = new RouterAnnouncement.Fee(100, 10_000);
        private RouterAnnouncement.Policy policy = new RouterAnnouncement.Policy(1_000_000, 0, 60);
        private Duration acceptTimeout = Duration.ofSeconds(15);
        private Duration quoteLifetime = Duration.ofSeconds(120);
        private Duration announceInterval = Duration.ofMinutes(30);
        private Duration publishDeadline = Duration.ofSeconds(10);
        private Duration resubscribeMargin = Duration.ofSeconds(60);
        private Set<PublicKey> deniedClients = Set.of();
        private List<String> relays = List.of();
        private Set<PublicKey> servedNodes = Set.of();
        private InstantSource clock = InstantSource.system();
        private Msat newcomerFeeCredit = Msat.ZERO;

        private Builder(KeyPair keys) {
            this.keys = keys;
        }

        public Builder routerId(String v) {
            routerId = v;
            return this;
        }

        public Builder fee(RouterAnnouncement.Fee v) {
            fee = v;
            return this;
        }

        public Builder policy(RouterAnnouncement.Policy v) {
            policy = v;
            return this;
        }

        public Builder acceptTimeout(Duration v) {
            acceptTimeout = v;
            return this;
        }

        public Builder quoteLifetime(Duration v) {
            quoteLifetime = v;
            return this;
        }

        public Builder announceInterval(Duration v) {
            announceInterval = v;
            return this;
        }

        public Builder publishDeadline(Duration v) {
            publishDeadline = v;
            return this;
        }

        public Builder resubscribeMargin(Duration v) {
            resubscribeMargin = v;
            return this;
        }

        public Builder deniedClients(Set<PublicKey> v) {
            deniedClients = v;
            return this;
        }

        public Builder relays(List<String> v) {
            relays = v;
            return this;
        }

        public Builder servedNodes(Set<PublicKey> v) {
            servedNodes = v;
            return this;
        }

        public Builder clock(InstantSource v) {
            clock = v;
            return this;
        }

        public Builder newcomerFeeCredit(Msat v) {
            newcomerFeeCredit = v;
            return this;
        }

        public RouterConfig build() {
            return new RouterConfig(keys, routerId, fee, policy, acceptTimeout, quoteLifetime, announceInterval,
                    publishDeadline, resubscribeMargin, deniedClients, relays, servedNodes, clock, newcomerFeeCredit);
        }
    }
}
