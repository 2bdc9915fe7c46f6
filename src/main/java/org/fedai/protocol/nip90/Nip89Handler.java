package org.fedai.protocol.nip90;

import java.util.List;
import java.util.Map;

/**
 * A NIP-89 handler announcement (31990) for the NIP-90 kinds a fedai node or gateway serves.
 *
 * @param pricing per request kind, what a unit costs ({@code unit}: {@code text} or {@code token})
 * @param node    the announcing node's pubkey, "" for a gateway
 * @param router  the router whose gateway takes the requests, "" when unknown
 */
public record Nip89Handler(String d, List<Integer> kinds, String name, String about, Map<Integer, Price> pricing,
        String node, String router) {

    public Nip89Handler {
        kinds = List.copyOf(kinds);
        pricing = Map.copyOf(pricing);
    }

    public record Price(long msatPerUnit, String unit) {
    }
}
