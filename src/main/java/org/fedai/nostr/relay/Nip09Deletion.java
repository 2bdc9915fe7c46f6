package org.fedai.nostr.relay;

import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventKindClass;
import org.fedai.nostr.Hex;

/**
 * NIP-09: Event Deletion Request (https://github.com/nostr-protocol/nips/blob/master/09.md), as a relay applies it.
 * A kind 5 event names the author's own events by id ({@code e}) and by address ({@code a}: kind:pubkey:d, which
 * covers every version up to the request's created_at). Targets of another author are ignored: only the author may
 * delete.
 */
public final class Nip09Deletion {

    public static final int KIND = 5;

    /** One addressable or replaceable coordinate the author asked to delete. */
    public record Address(int kind, String pubkey, String d) {
        public String key() {
            return kind + ":" + pubkey + ":" + d;
        }
    }

    /** What a deletion request asks for, already narrowed to its author's own events. */
    public record Targets(String author, List<String> ids, List<Address> addresses, long until) {
    }

    private Nip09Deletion() {
    }

    public static boolean isDeletion(Event event) {
        return event.kind() == KIND;
    }

    public static Targets targets(Event deletion) {
        List<String> ids = new ArrayList<>();
        for (String id : deletion.tagValues("e")) {
            if (Hex.isLowerHex(id, 32)) {
                ids.add(id);
            }
        }
        List<Address> addresses = new ArrayList<>();
        for (String a : deletion.tagValues("a")) {
            Address address = parseAddress(a);
            if (address != null && address.pubkey().equals(deletion.pubkey())) {
                addresses.add(address);
            }
        }
        return new Targets(deletion.pubkey(), List.copyOf(ids), List.copyOf(addresses), deletion.createdAt());
    }

    /** {@code kind:pubkey:d}; null when malformed or when the kind has no address (regular, ephemeral). */
    static Address parseAddress(String a) {
        int first = a.indexOf(':');
        int second = first < 0 ? -1 : a.indexOf(':', first + 1);
        if (second < 0) {
            return null;
        }
        int kind;
        try {
            kind = Integer.parseInt(a.substring(0, first));
        } catch (NumberFormatException e) {
            return null;
        }
        String pubkey = a.substring(first + 1, second);
        EventKindClass cls = EventKindClass.of(kind);
        if (!Hex.isLowerHex(pubkey, 32) || (cls != EventKindClass.REPLACEABLE && cls != EventKindClass.ADDRESSABLE)) {
            return null;
        }
        return new Address(kind, pubkey, a.substring(second + 1));
    }
}
