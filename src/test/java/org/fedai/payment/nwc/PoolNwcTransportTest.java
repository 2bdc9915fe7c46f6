package org.fedai.payment.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/** The NWC transport on a real relay pool and a real embedded relay. */
@RelayTest
class PoolNwcTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final KeyPair keys = KeyPair.generate();

    private Event event(int kind, String content) {
        return EventSigner.sign(UnsignedEvent.of(kind, content, List.of(List.of("p", keys.publicKey()))), keys);
    }

    @Test
    void publishCompletesOnceARelayAcceptedAndSubscribersReceiveUntilClosed() throws Exception {
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start();
             RelayPool pool = PoolNwcTransport.connect(List.of(relay.url()))) {
            PoolNwcTransport transport = new PoolNwcTransport(pool);
            List<Event> got = new CopyOnWriteArrayList<>();
            AutoCloseable sub = transport.subscribe(Filter.builder().kinds(1).authors(keys.publicKey()).build(), got::add);
            Event first = event(1, "one");
            transport.publish(first).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> got.contains(first));

            sub.close();
            Event second = event(1, "two");
            transport.publish(second).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Event marker = event(2, "after close");
            List<Event> markers = new CopyOnWriteArrayList<>();
            transport.subscribe(Filter.builder().kinds(2).authors(keys.publicKey()).build(), markers::add);
            transport.publish(marker).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> markers.contains(marker));
            assertThat(got).containsExactly(first);
        }
    }

    @Test
    void publishFailsWhenNoRelayAcceptsBeforeTheDeadline() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again: nothing listens there
        }
        try (RelayPool pool = PoolNwcTransport.connect(List.of("ws://127.0.0.1:" + deadPort))) {
            PoolNwcTransport transport = new PoolNwcTransport(pool, Duration.ofMillis(300));
            assertThatThrownBy(() -> transport.publish(event(1, "nobody")).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class)
                    .hasMessageContaining("no relay accepted");
        }
    }

    @Test
    void publishOnAClosedPoolIsAFailedFutureNotAnException() {
        RelayPool pool = new RelayPool();
        pool.close();
        assertThat(new PoolNwcTransport(pool).publish(event(1, "late"))).isCompletedExceptionally();
    }
}
