package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.nostr.relay.TestEvents.ids;
import static org.fedai.nostr.relay.TestEvents.signed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.RelayMessage;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RelayConfig#deliveryDelay()}: live deliveries wait, in order; OK replies and stored events do not. */
@RelayTest
class DeliveryDelayTest {

    static final Duration DELAY = Duration.ofMillis(300);
    static final Filter NOTES = Filter.builder().kinds(1).build();

    final KeyPair alice = KeyPair.generate();
    final List<AutoCloseable> open = new ArrayList<>();
    final long now = System.currentTimeMillis() / 1000;

    EmbeddedRelay relay(Duration delay) throws Exception {
        EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults().withDeliveryDelay(delay),
                new InMemoryEventStore()).start();
        open.add(relay);
        return relay;
    }

    RelayTestClient client(EmbeddedRelay relay) throws InterruptedException {
        RelayTestClient c = RelayTestClient.connect(relay.url());
        open.add(0, c::closeBlocking);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static RelayMessage.EventMessage awaitEvent(RelayTestClient c, String sub, Event e) {
        return c.awaitFrom(0, RelayMessage.EventMessage.class,
                m -> m.subscriptionId().equals(sub) && m.event().id().equals(e.id()));
    }

    @Test
    void aLiveSubscriberGetsTheEventNoSoonerThanTheDelayAndAfterThePublishersOk() throws Exception {
        EmbeddedRelay relay = relay(DELAY);
        RelayTestClient subscriber = client(relay);
        subscriber.query("live", NOTES);
        RelayTestClient publisher = client(relay);
        Event note = signed(alice, 1, now, "held back");

        long sent = System.nanoTime();
        RelayMessage.Ok ok = publisher.publish(note);
        RelayMessage.EventMessage delivered = awaitEvent(subscriber, "live", note);

        assertThat(ok.accepted()).isTrue();
        // the relay accepted it after it was sent and scheduled its delivery no sooner than the delay after the OK
        assertThat(subscriber.arrivalOf(delivered) - sent).isGreaterThanOrEqualTo(DELAY.toNanos());
        assertThat(publisher.arrivalOf(ok)).isLessThan(subscriber.arrivalOf(delivered));
    }

    @Test
    void eachSubscriberGetsAPublishersEventsInTheOrderTheyWereAccepted() throws Exception {
        EmbeddedRelay relay = relay(Duration.ofMillis(50));
        RelayTestClient first = client(relay);
        RelayTestClient second = client(relay);
        first.query("a", NOTES);
        second.query("b", NOTES);
        RelayTestClient publisher = client(relay);
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Event e = signed(alice, 1, now, "note " + i);
            sent.add(e);
            publisher.sendMessage(new ClientMessage.Publish(e)); // no wait for the OK: a burst
        }
        awaitEvent(first, "a", sent.getLast());
        awaitEvent(second, "b", sent.getLast());

        assertThat(ids(first.eventsFor("a"))).containsExactlyElementsOf(ids(sent));
        assertThat(ids(second.eventsFor("b"))).containsExactlyElementsOf(ids(sent));
    }

    @Test
    void okRepliesAndStoredEventsAreNotHeldBack() throws Exception {
        EmbeddedRelay relay = relay(Duration.ofMinutes(1));
        RelayTestClient publisher = client(relay);
        Event note = signed(alice, 1, now, "stored at once");

        // each awaited for at most RelayTestClient.WAIT, far below the minute a live delivery would take
        assertThat(publisher.publish(note).accepted()).isTrue();
        assertThat(ids(client(relay).query("stored", NOTES))).containsExactly(note.id());
    }

    @Test
    void aReqSentDuringTheDelayGetsTheEventFromStorageOnlyNotAgainLive() throws Exception {
        EmbeddedRelay relay = relay(DELAY);
        RelayTestClient publisher = client(relay);
        RelayTestClient late = client(relay);
        Event note = signed(alice, 1, now, "accepted before the REQ");
        publisher.publish(note);

        assertThat(ids(late.query("late", NOTES))).containsExactly(note.id());
        // deliveries keep their order: once the next note arrives live, a delayed copy of the first would have too
        Event next = signed(alice, 1, now, "accepted after the REQ");
        publisher.publish(next);
        awaitEvent(late, "late", next);
        assertThat(ids(late.eventsFor("late"))).containsExactly(note.id(), next.id());
    }

    @Test
    void withoutADelayDeliveriesRunOnThePublishersThreadAndNoDeliveryThreadStarts() throws Exception {
        EmbeddedRelay relay = relay(Duration.ZERO);
        RelayTestClient subscriber = client(relay);
        subscriber.query("live", NOTES);
        Event note = signed(alice, 1, now, "at once");
        client(relay).publish(note);
        awaitEvent(subscriber, "live", note);

        assertThat(relay.config().deliveryDelay()).isZero();
        assertThat(relay.live().started()).isFalse();
    }

    @Test
    void aNegativeDelayIsRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> RelayConfig.defaults().withDeliveryDelay(Duration.ofMillis(-1)));
    }
}
