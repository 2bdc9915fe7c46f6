package org.fedai.nostr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An event before signing: what the author decides. {@link EventSigner} turns it into an {@link Event}. */
public record UnsignedEvent(long createdAt, int kind, List<List<String>> tags, String content) {

    public UnsignedEvent {
        tags = Event.copyTags(tags);
        content = content == null ? "" : content;
        if (kind < 0 || kind > 65535) {
            throw new IllegalArgumentException("kind must be 0..65535, got " + kind);
        }
    }

    public static UnsignedEvent of(int kind, String content, List<List<String>> tags) {
        return new UnsignedEvent(Instant.now().getEpochSecond(), kind, tags, content);
    }

    public UnsignedEvent withTag(String... tag) {
        List<List<String>> more = new ArrayList<>(tags);
        more.add(List.of(tag));
        return new UnsignedEvent(createdAt, kind, more, content);
    }

    public UnsignedEvent withCreatedAt(long seconds) {
        return new UnsignedEvent(seconds, kind, tags, content);
    }
}
