package org.fedai.roles.node;

import org.fedai.domain.Msat;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.KeyPair;

/**
 * How a market node runs.
 *
 * @param keys               the node's Nostr identity
 * @param nodeId             the manifest's {@code d} tag
 * @param pricePerText       the manifest price per input text; a quote for less than units times this is refused
 * @param minPrice           the least the node takes for any job
 * @param maxInputBytes      the largest input (sum of UTF-8 text lengths) the node runs
 * @param maxConcurrentJobs  runner threads, and the capacity heartbeats report load against
 * @param heartbeatInterval  time between 24400 heartbeats (5..600 s)
 * @param manifestLifetime   the manifest's NIP-40 lifetime; it is republished at half of it
 * @param invoiceExpiry      BOLT11 expiry of the node's invoices
 * @param resubscribeMargin  how far before the newest processed event a restarted node subscribes again
 * @param sweepInterval      how often deadlines are checked and unpublished events retried
 * @param publishDeadline    how long a publish waits for relays
 * @param relays             relay URLs to declare in the manifest
 * @param routers            whose quotes the node takes
 * @param timings            the payment timings the node takes (manifest {@code payment.timing}); quotes for
 *                           another are refused
 */
public record NodeConfig(KeyPair keys, String nodeId, Msat pricePerText, Msat minPrice, long maxInputBytes,
        int maxConcurrentJobs, Duration heartbeatInterval, Duration manifestLifetime, Duration invoiceExpiry,
        Duration resubscribeMargin, Duration sweepInterval, Duration publishDeadline, List<String> relays,
        RouterTrust routers, Set<PaymentTiming> timings) {

    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9._-]{1,64}");

    public NodeConfig {
        Objects.requireNonNull(keys, "keys");
        if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node id must be 1..64 chars of [a-z0-9._-]");
        }
        Objects.requireNonNull(pricePerText, "pricePerText");
        Objects.requireNonNull(minPrice, "minPrice");
        if (maxInputBytes <= 0 || maxConcurrentJobs < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        long beat = heartbeatInterval.toSeconds();
        if (beat < 5 || beat > 600) {
            throw new IllegalArgumentException("heartbeat interval must be 5..600 s");
        }
        // lifetimes of seconds only make sense in tests; real nodes keep the 6 h default
        if (manifestLifetime.toSeconds() < 2 || manifestLifetime.toSeconds() > 24 * 3600) {
            throw new IllegalArgumentException("manifest lifetime must be 2 s..24 h");
        }
        relays = List.copyOf(relays);
        Objects.requireNonNull(routers, "routers");
        if (timings == null || timings.isEmpty()) {
            throw new IllegalArgumentException("a node takes at least one payment timing");
        }
        timings = Set.copyOf(timings);
    }

    /**
     * The timings this node takes, as its manifest states them: a node that charges nothing offers free work
     * only; one that charges, the timings it was given (never free).
     */
    public Set<PaymentTiming> offeredTimings() {
        return priceFor(1).isZero() ? Set.of(PaymentTiming.FREE) : timings;
    }

    /** 1000 msat per text, 32 KB inputs, 2 concurrent jobs, 30 s heartbeats, 6 h manifests, 600 s invoices. */
    public static NodeConfig defaults(KeyPair keys, String nodeId) {
        return new NodeConfig(keys, nodeId, Msat.of(1000), Msat.of(1000), 32 * 1024, 2, Duration.ofSeconds(30), Duration.ofHours(6),
                Duration.ofSeconds(600), Duration.ofSeconds(120), Duration.ofSeconds(5), Duration.ofSeconds(10),
                List.of(), RouterTrust.ANY,
                EnumSet.complementOf(EnumSet.of(PaymentTiming.FREE)));
    }

    public NodeConfig withPricing(Msat perText, Msat min) {
        return toBuilder().pricing(perText, min).build();
    }

    public NodeConfig withMaxInputBytes(long bytes) {
        return toBuilder().maxInputBytes(bytes).build();
    }

    public NodeConfig withHeartbeatInterval(Duration interval) {
        return toBuilder().heartbeatInterval(interval).build();
    }

    public NodeConfig withSweepInterval(Duration interval) {
        return toBuilder().sweepInterval(interval).build();
    }

    public NodeConfig withManifestLifetime(Duration lifetime) {
        return toBuilder().manifestLifetime(lifetime).build();
    }

    public NodeConfig withRelays(List<String> urls) {
        return toBuilder().relays(urls).build();
    }

    public NodeConfig withRouters(RouterTrust trust) {
        return toBuilder().routers(trust).build();
    }

    /** A node that takes only these payment timings (at least one). */
    public NodeConfig withTimings(Set<PaymentTiming> offered) {
        return toBuilder().timings(offered).build();
    }

    /** A builder holding this config, to change what differs by name. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Fifteen fields are too many to re-list in every wither: each is set by name, the rest kept. */
    public static final class Builder {
        private final KeyPair keys;
        private final String nodeId;
        private Msat pricePerText;
        private Msat minPrice;
        private long maxInputBytes;
        private int maxConcurrentJobs;
        private Duration heartbeatInterval;
        private Duration manifestLifetime;
        private Duration invoiceExpiry;
        private Duration resubscribeMargin;
        private Duration sweepInterval;
        private Duration publishDeadline;
        private List<String> relays;
        private RouterTrust routers;
        private Set<PaymentTiming> timings;

        private Builder(NodeConfig c) {
            keys = c.keys;
            nodeId = c.nodeId;
            pricePerText = c.pricePerText;
            minPrice = c.minPrice;
            maxInputBytes = c.maxInputBytes;
            maxConcurrentJobs = c.maxConcurrentJobs;
            heartbeatInterval = c.heartbeatInterval;
            manifestLifetime = c.manifestLifetime;
            invoiceExpiry = c.invoiceExpiry;
            resubscribeMargin = c.resubscribeMargin;
            sweepInterval = c.sweepInterval;
            publishDeadline = c.publishDeadline;
            relays = c.relays;
            routers = c.routers;
            timings = c.timings;
        }

        public Builder pricing(Msat perText, Msat min) {
            pricePerText = perText;
            minPrice = min;
            return this;
        }

        public Builder maxInputBytes(long bytes) {
            maxInputBytes = bytes;
            return this;
        }

        public Builder maxConcurrentJobs(int jobs) {
            maxConcurrentJobs = jobs;
            return this;
        }

        public Builder heartbeatInterval(Duration d) {
            heartbeatInterval = d;
            return this;
        }

        public Builder manifestLifetime(Duration d) {
            manifestLifetime = d;
            return this;
        }

        public Builder invoiceExpiry(Duration d) {
            invoiceExpiry = d;
            return this;
        }

        public Builder resubscribeMargin(Duration d) {
            resubscribeMargin = d;
            return this;
        }

        public Builder sweepInterval(Duration d) {
            sweepInterval = d;
            return this;
        }

        public Builder publishDeadline(Duration d) {
            publishDeadline = d;
            return this;
        }

        public Builder relays(List<String> urls) {
            relays = urls;
            return this;
        }

        public Builder routers(RouterTrust trust) {
            routers = trust;
            return this;
        }

        public Builder timings(Set<PaymentTiming> offered) {
            timings = offered;
            return this;
        }

        /** The config, checked as the record's constructor checks it. */
        public NodeConfig build() {
            return new NodeConfig(keys, nodeId, pricePerText, minPrice, maxInputBytes, maxConcurrentJobs,
                    heartbeatInterval, manifestLifetime, invoiceExpiry, resubscribeMargin, sweepInterval,
                    publishDeadline, relays, routers, timings);
        }
    }

    /** What the node charges for {@code units} texts. */
    public Msat priceFor(long units) {
        return Msat.of(Math.max(minPrice.value(), Math.multiplyExact(units, pricePerText.value())));
    }
}
