package org.fedai.nostr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A NIP-01 event exactly as it travels: hex id, hex pubkey, unix seconds, kind, tags, content, hex sig.
 * Immutable; tags are deep-copied. Construction does not verify: see {@link EventVerifier}.
 */
public record Event(String id, String pubkey, long createdAt, int kind, List<List<String>> tags, String content,
        String sig) {

    public Event {
        tags = copyTags(tags);
        content = content == null ? "" : content;
    }

    static List<List<String>> copyTags(List<List<String>> tags) {
        if (tags == null || tags.isEmpty()) {
            return List.of();
        }
        List<List<String>> copy = new ArrayList<>(tags.size());
        for (List<String> tag : tags) {
            copy.add(List.copyOf(tag));
        }
        return List.copyOf(copy);
    }

    /** The first value of the first tag with this name ({@code ["e", "<value>", ...]}). */
    public Optional<String> firstTagValue(String name) {
        for (List<String> tag : tags) {
            if (tag.size() >= 2 && tag.get(0).equals(name)) {
                return Optional.of(tag.get(1));
            }
        }
        return Optional.empty();
    }

    /** Every first value of the tags with this name, in order. */
    public List<String> tagValues(String name) {
        List<String> values = new ArrayList<>();
        for (List<String> tag : tags) {
            if (tag.size() >= 2 && tag.get(0).equals(name)) {
                values.add(tag.get(1));
            }
        }
        return values;
    }

    public EventKindClass kindClass() {
        return EventKindClass.of(kind);
    }

    /** The NIP-01 address of a replaceable or addressable event: {@code kind:pubkey:d}. */
    public String address() {
        return kind + ":" + pubkey + ":" + firstTagValue("d").orElse("");
    }
}
