package org.fedai.nostr.relay;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;

/**
 * How an {@link EmbeddedRelay} runs.
 *
 * @param host            address to bind; loopback by default, since the embedded relay is for one machine
 * @param port            0 picks an ephemeral port
 * @param limits          per-connection limits
 * @param authRequired    NIP-42: send a challenge on connect and refuse EVENT/REQ until the client authenticates
 * @param allowedPubkeys  with auth required, the authenticated pubkeys allowed in (empty: any)
 * @param publicUrl       the URL clients must name in their AUTH relay tag; null means the bound ws:// URL
 * @param sweepInterval   how often expired (NIP-40) events are purged from storage
 * @param clock           the relay's notion of now (tests move it by hand)
 * @param retention       how long stored events are kept, per kind class, beyond their own NIP-40 expiration
 * @param deliveryDelay   how long each newly accepted event waits before it goes to live subscriptions, as on a relay
 *                        that batches its fan-out (strfry's monitor debounce, ~100 ms); zero (default) sends at once
 */
public record RelayConfig(String host, int port, RelayLimits limits, boolean authRequired, Set<String> allowedPubkeys,
        String publicUrl, Duration sweepInterval, InstantSource clock, RelayRetention retention,
        Duration deliveryDelay) {

    public static final String DEFAULT_HOST = "127.0.0.1";

    public RelayConfig {
        host = host == null ? DEFAULT_HOST : host;
        limits = limits == null ? RelayLimits.DEFAULTS : limits;
        allowedPubkeys = allowedPubkeys == null ? Set.of() : Set.copyOf(allowedPubkeys);
        sweepInterval = sweepInterval == null ? Duration.ofMinutes(1) : sweepInterval;
        clock = clock == null ? InstantSource.system() : clock;
        retention = retention == null ? RelayRetention.FOREVER : retention;
        deliveryDelay = deliveryDelay == null ? Duration.ZERO : deliveryDelay;
        if (deliveryDelay.isNegative()) {
            throw new IllegalArgumentException("delivery delay must not be negative, got " + deliveryDelay);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }

    /** Loopback, ephemeral port, default limits, no auth. */
    public static RelayConfig defaults() {
        return new RelayConfig(DEFAULT_HOST, 0, RelayLimits.DEFAULTS, false, Set.of(), null, null, null, null, null);
    }

    public RelayConfig withHost(String h) {
        return new RelayConfig(h, port, limits, authRequired, allowedPubkeys, publicUrl, sweepInterval, clock,
                retention, deliveryDelay);
    }

    public RelayConfig withPort(int p) {
        return new RelayConfig(host, p, limits, authRequired, allowedPubkeys, publicUrl, sweepInterval, clock,
                retention, deliveryDelay);
    }

    public RelayConfig withLimits(RelayLimits l) {
        return new RelayConfig(host, port, l, authRequired, allowedPubkeys, publicUrl, sweepInterval, clock,
                retention, deliveryDelay);
    }

    public RelayConfig withAuthRequired(boolean required, Set<String> allowed) {
        return new RelayConfig(host, port, limits, required, allowed, publicUrl, sweepInterval, clock,
                retention, deliveryDelay);
    }

    /** The URL clients name in NIP-42 relay tags when the relay sits behind a proxy or a public name. */
    public RelayConfig withPublicUrl(String url) {
        return new RelayConfig(host, port, limits, authRequired, allowedPubkeys, url, sweepInterval, clock,
                retention, deliveryDelay);
    }

    public RelayConfig withClock(InstantSource c) {
        return new RelayConfig(host, port, limits, authRequired, allowedPubkeys, publicUrl, sweepInterval, c,
                retention, deliveryDelay);
    }

    public RelayConfig withSweepInterval(Duration d) {
        return new RelayConfig(host, port, limits, authRequired, allowedPubkeys, publicUrl, d, clock,
                retention, deliveryDelay);
    }

    public RelayConfig withRetention(RelayRetention r) {
        return new RelayConfig(host, port, limits, authRequired, allowedPubkeys, publicUrl, sweepInterval, clock,
                r, deliveryDelay);
    }

    /**
     * Holds each live delivery back by {@code d} (benchmarks: every relay hop then costs at least {@code d}, which
     * shows how many hops a flow waits on). Replies to the publisher (OK) and stored events (REQ) are never held.
     */
    public RelayConfig withDeliveryDelay(Duration d) {
        return new RelayConfig(host, port, limits, authRequired, allowedPubkeys, publicUrl, sweepInterval, clock,
                retention, d);
    }
}
