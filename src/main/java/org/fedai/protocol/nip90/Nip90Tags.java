package org.fedai.protocol.nip90;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.fedai.nostr.Event;

/** The tags feedback and results share: {@code e} request, {@code p} customer, {@code amount}, {@code encrypted}. */
final class Nip90Tags {

    private Nip90Tags() {
    }

    static List<List<String>> answering(Nip90Request request, OptionalLong amountMsat, String bolt11) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("e", request.id()));
        tags.add(List.of("p", request.customer()));
        if (amountMsat.isPresent()) {
            tags.add(bolt11.isEmpty() ? List.of("amount", Long.toString(amountMsat.getAsLong()))
                    : List.of("amount", Long.toString(amountMsat.getAsLong()), bolt11));
        }
        if (request.encrypted()) {
            tags.add(List.of("encrypted"));
        }
        return tags;
    }

    static Optional<List<String>> first(Event event, String name) {
        return event.tags().stream().filter(t -> t.size() > 1 && t.get(0).equals(name)).findFirst();
    }

    static boolean has(Event event, String name) {
        return event.tags().stream().anyMatch(t -> !t.isEmpty() && t.get(0).equals(name));
    }

    /** The amount tag's msat and invoice, empty and "" when absent; a malformed amount is an IllegalArgumentException. */
    static OptionalLong amount(Event event) {
        return first(event, "amount").map(t -> {
            try {
                if (t.get(1).matches("[0-9]{1,19}")) {
                    return OptionalLong.of(Long.parseLong(t.get(1)));
                }
            } catch (NumberFormatException beyondLong) {
                // refused below
            }
            throw new IllegalArgumentException("amount: must be a non-negative integer");
        }).orElse(OptionalLong.empty());
    }

    static String bolt11(Event event) {
        return first(event, "amount").filter(t -> t.size() > 2).map(t -> t.get(2)).orElse("");
    }
}
