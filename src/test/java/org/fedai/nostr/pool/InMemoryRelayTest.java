package org.fedai.nostr.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.junit.jupiter.api.Test;

class InMemoryRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final KeyPair keys = KeyPair.generate();

    @Test
    void storedEventsComeFirstThenEoseThenLiveOnesAndAClosedSubscriptionHearsNothingMore() throws Exception {
        try (InMemoryRelay relay = new InMemoryRelay()) {
            Event before = event(1, "before", 100);
            assertThat(relay.publish(before, WAIT).get().acceptedByAny()).isTrue();
            List<String> heard = new CopyOnWriteArrayList<>();
            Subscription sub = relay.subscribe(List.of(Filter.builder().kinds(1).build()), new EventListener() {
                @Override
                public void onEvent(Event event, String relayUrl) {
                    heard.add(event.content());
                }

                @Override
                public void onEose(String relayUrl) {
                    heard.add("EOSE");
                }
            });
            relay.publish(event(1, "live", 101), WAIT).get();
            relay.publish(event(2, "other kind", 102), WAIT).get();
            await().atMost(WAIT).until(() -> heard.size() == 3);
            assertThat(heard).containsExactly("before", "EOSE", "live");

            sub.close();
            relay.publish(event(1, "after close", 103), WAIT).get();
            assertThat(relay.published()).isEqualTo(4);
            assertThat(heard).hasSize(3);
        }
    }

    @Test
    void anInvalidEventIsRefusedADuplicateAcknowledgedAndOnlyWhatARelayKeepsIsKept() throws Exception {
        try (InMemoryRelay relay = new InMemoryRelay()) {
            Event good = event(1, "x", 100);
            Event forged = new Event(good.id(), good.pubkey(), good.createdAt(), good.kind(), good.tags(), "changed",
                    good.sig());
            PublishResult refused = relay.publish(forged, WAIT).get();
            assertThat(refused.acceptedByAny()).isFalse();
            assertThat(refused.outcomes().get(InMemoryRelay.URL)).isInstanceOf(PublishResult.Outcome.Rejected.class);

            relay.publish(good, WAIT).get();
            assertThat(relay.publish(good, WAIT).get().outcomes().get(InMemoryRelay.URL).message())
                    .startsWith("duplicate:");

            relay.publish(event(0, "old profile", 100), WAIT).get();
            relay.publish(event(0, "new profile", 200), WAIT).get();
            relay.publish(event(24401, "ephemeral", 300), WAIT).get();
            List<String> stored = new CopyOnWriteArrayList<>();
            relay.subscribe(List.of(Filter.builder().authors(keys.publicKey()).build()),
                    (event, url) -> stored.add(event.content()));
            await().atMost(WAIT).until(() -> stored.size() == 2);
            assertThat(stored).containsExactlyInAnyOrder("x", "new profile");
        }
    }

    private Event event(int kind, String content, long createdAt) {
        return EventSigner.sign(new UnsignedEvent(createdAt, kind, List.of(), content), keys);
    }
}
