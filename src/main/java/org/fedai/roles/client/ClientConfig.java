package org.fedai.roles.client;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;

/**
 * How a client runs. {@code routers}: the routers' Nostr pubkeys, each announced (31401), in order of preference (graduated ones
 * are tried first, {@link RouterOrder}). A spec goes to one router at a time; when no quote comes within
 * {@code quoteTimeout} a fresh spec goes to the next (event-kinds/market-flow.md, "Several routers").
 */
public record ClientConfig(KeyPair keys, List<PublicKey> routers, Duration quoteTimeout, Duration publishDeadline,
        InstantSource clock) {
    public ClientConfig {
        routers = List.copyOf(routers);
        if (routers.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one router");
        }
    }

    public static ClientConfig of(KeyPair keys, PublicKey router) {
        return of(keys, List.of(router));
    }

    public static ClientConfig of(KeyPair keys, List<PublicKey> routers) {
        return new ClientConfig(keys, routers, Duration.ofSeconds(5), Duration.ofSeconds(10), InstantSource.system());
    }

    public ClientConfig withQuoteTimeout(Duration timeout) {
        return new ClientConfig(keys, routers, timeout, publishDeadline, clock);
    }

    /** The first router named. */
    public PublicKey router() {
        return routers.get(0);
    }
}
