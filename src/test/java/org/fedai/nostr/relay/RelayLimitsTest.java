package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.nostr.relay.TestEvents.signed;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.RelayMessage;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each limit refuses with its NIP-01 prefix, is counted, and leaves the connection usable. */
@RelayTest
class RelayLimitsTest {

    final MutableClock clock = new MutableClock(1_800_000_000L);
    final KeyPair alice = KeyPair.generate();
    final List<AutoCloseable> open = new ArrayList<>();

    RelayTestClient client(RelayLimits limits) throws Exception {
        EmbeddedRelay relay = new EmbeddedRelay(RelayConfig.defaults().withClock(clock).withLimits(limits),
                new InMemoryEventStore()).start();
        open.add(relay);
        RelayTestClient c = RelayTestClient.connect(relay.url());
        open.add(0, c::closeBlocking);
        this.relay = relay;
        return c;
    }

    EmbeddedRelay relay;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RelayLimits d = RelayLimits.DEFAULTS;
        assertThat(d.maxMessageBytes()).isEqualTo(65536);
        assertThat(d.maxTagValueLength()).isEqualTo(1024);
        assertThat(d.maxSubscriptions()).isEqualTo(32);
        assertThat(d.maxFilters()).isEqualTo(16);
        assertThat(d.maxLimit()).isEqualTo(5000);
        assertThat(d.maxFutureSeconds()).isEqualTo(900);
    }

    @Test
    void oversizeEventIsInvalidAndTheConnectionStays() throws Exception {
        RelayTestClient c = client(RelayLimits.DEFAULTS);
        RelayMessage.Ok ok = c.publish(signed(alice, 1, clock.now(), "x".repeat(70 * 1024)));
        assertThat(ok.accepted()).isFalse();
        assertThat(ok.message()).isEqualTo("invalid: event is larger than 65536 bytes");
        assertThat(relay.stats().rejected(RejectReason.TOO_LARGE)).isEqualTo(1);
        assertThat(c.publish(signed(alice, 1, clock.now(), "small")).accepted()).isTrue();
    }

    @Test
    void overlongTagValueIsInvalid() throws Exception {
        RelayTestClient c = client(RelayLimits.DEFAULTS);
        RelayMessage.Ok ok = c.publish(signed(alice, 1, clock.now(), "", "t", "v".repeat(1025)));
        assertThat(ok.message()).isEqualTo("invalid: tag value longer than 1024 characters");
        assertThat(c.publish(signed(alice, 1, clock.now(), "", "t", "v".repeat(1024))).accepted()).isTrue();
        assertThat(relay.stats().rejected(RejectReason.TAG_TOO_LONG)).isEqualTo(1);
    }

    @Test
    void createdAtTooFarAheadIsInvalid() throws Exception {
        RelayTestClient c = client(RelayLimits.DEFAULTS);
        RelayMessage.Ok ok = c.publish(signed(alice, 1, clock.now() + 901, "from the future"));
        assertThat(ok.accepted()).isFalse();
        assertThat(ok.message()).isEqualTo("invalid: created_at is more than 900 seconds in the future");
        assertThat(c.publish(signed(alice, 1, clock.now() + 900, "just in time")).accepted()).isTrue();
        assertThat(relay.stats().rejected(RejectReason.CREATED_AT_IN_FUTURE)).isEqualTo(1);
    }

    @Test
    void tooManySubscriptionsIsClosedRateLimitedButReusingAnIdIsFine() throws Exception {
        RelayTestClient c = client(RelayLimits.DEFAULTS.withMaxSubscriptions(2));
        c.query("a", Filter.builder().kinds(1).build());
        c.query("b", Filter.builder().kinds(1).build());
        RelayMessage.Closed closed = c.refusedQuery("c", Filter.builder().kinds(1).build());
        assertThat(closed.message()).isEqualTo("rate-limited: at most 2 subscriptions per connection");
        c.query("b", Filter.builder().kinds(2).build());
        assertThat(relay.stats().rejected(RejectReason.TOO_MANY_SUBSCRIPTIONS)).isEqualTo(1);
    }

    @Test
    void tooManyFiltersIsClosedInvalid() throws Exception {
        RelayTestClient c = client(RelayLimits.DEFAULTS);
        Filter[] seventeen = IntStream.range(0, 17).mapToObj(i -> Filter.builder().kinds(i).build())
                .toArray(Filter[]::new);
        RelayMessage.Closed closed = c.refusedQuery("many", seventeen);
        assertThat(closed.message()).isEqualTo("invalid: at most 16 filters per REQ");
        assertThat(c.query("sixteen", java.util.Arrays.copyOf(seventeen, 16))).isEmpty();
        assertThat(relay.stats().rejected(RejectReason.TOO_MANY_FILTERS)).isEqualTo(1);
    }

    @Test
    void limitsAboveMaxLimitAreClamped() throws Exception {
        RelayTestClient c = client(RelayLimits.DEFAULTS.withMaxLimit(3));
        for (int i = 0; i < 5; i++) {
            c.publish(signed(alice, 1, clock.now() - i, "n" + i));
        }
        assertThat(c.query("big", Filter.builder().limit(100).build())).hasSize(3);
        assertThat(c.query("none", Filter.builder().build())).hasSize(3);
        List<Event> two = c.query("two", Filter.builder().limit(2).build());
        assertThat(two).extracting(Event::content).containsExactly("n0", "n1");
    }

    @Test
    void eventsBeyondTheBurstAreRateLimited() throws Exception {
        // A refill of one token every 1000 s: only the burst gets through during the test.
        RelayTestClient c = client(RelayLimits.DEFAULTS.withRate(0.001, 3));
        for (int i = 0; i < 3; i++) {
            assertThat(c.publish(signed(alice, 1, clock.now(), "ok " + i)).accepted()).isTrue();
        }
        RelayMessage.Ok limited = c.publish(signed(alice, 1, clock.now(), "one too many"));
        assertThat(limited.accepted()).isFalse();
        assertThat(limited.prefix()).isEqualTo("rate-limited");
        assertThat(relay.stats().rejected(RejectReason.RATE_LIMITED)).isEqualTo(1);

        // The bucket is per connection: another client is not slowed by this one.
        RelayTestClient other = RelayTestClient.connect(relay.url());
        open.add(0, other::closeBlocking);
        assertThat(other.publish(signed(alice, 1, clock.now(), "other")).accepted()).isTrue();
    }

    @Test
    void kind22242IsRefusedAsAnEvent() throws Exception {
        RelayTestClient c = client(RelayLimits.DEFAULTS);
        RelayMessage.Ok ok = c.publish(signed(alice, 22242, clock.now(), "", "challenge", "x"));
        assertThat(ok.prefix()).isEqualTo("invalid");
    }
}
