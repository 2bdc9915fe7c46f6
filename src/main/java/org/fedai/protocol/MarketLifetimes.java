package org.fedai.protocol;

import java.time.Duration;

/**
 * How long relays must keep each market event, as its NIP-40 expiration (event-kinds/market-flow.md, "How long
 * events live"): a relay, fedai's or strfry, then drops what the protocol no longer needs, and its storage stays
 * flat however many jobs pass. Requests, quotes and invoices expire with their deadlines (their own codecs).
 */
public final class MarketLifetimes {

    /** A 4403 proof is read once, by the router, within the quote's life. */
    public static final Duration PROOF = Duration.ofDays(1);
    /** 4404 work orders, 4405 statuses, 4406 results: the evidence a 4409 claim names, or refutes it. */
    public static final Duration EVIDENCE = Duration.ofDays(30);
    /** 4407 metering records and 4408 receipts: the books both sides keep. */
    public static final Duration BOOKS = Duration.ofDays(90);
    /** 4409 slash claims: a public record that consumers weigh for a year. */
    public static final Duration CLAIM = Duration.ofDays(365);

    private MarketLifetimes() {
    }

    static long expiresAt(long createdAt, Duration lifetime) {
        return createdAt + lifetime.toSeconds();
    }

    static java.util.List<String> expiration(long createdAt, Duration lifetime) {
        return java.util.List.of("expiration", Long.toString(expiresAt(createdAt, lifetime)));
    }
}
