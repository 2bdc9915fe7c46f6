package org.fedai.roles.node;

import org.fedai.domain.PublicKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.RouterAnnouncement.ProbationState;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.RouterAnnouncementCodec;
import org.junit.jupiter.api.Test;

class AnnouncedRoutersTest {

    private final AtomicLong now = new AtomicLong(System.currentTimeMillis() / 1000);
    private final InstantSource clock = () -> Instant.ofEpochSecond(now.get());

    private Event announcement(KeyPair keys, ProbationState state, long createdAt, long lifetime) {
        return EventSigner.sign(RouterAnnouncementCodec.encode(new RouterAnnouncement("r", "test",
                new RouterAnnouncement.Fee(100, 10_000), new PaymentTerms(Set.of(PaymentTiming.BEFORE),
                        "03" + "cd".repeat(32), "regtest"), new RouterAnnouncement.Policy(1_000_000, 0, 60),
                new RouterAnnouncement.Probation(state, 60, 50, 1500, 1000, 250_000, 100_000, 65_536, ""), Map.of(),
                List.of(), createdAt + lifetime), createdAt), keys);
    }

    @Test
    void trustsEveryLiveAnnouncedRouterAndNoOneElse() {
        AnnouncedRouters routers = new AnnouncedRouters(null, AnnouncedRouters.Policy.ANY_ANNOUNCED, clock);
        KeyPair a = KeyPair.generate();
        KeyPair b = KeyPair.generate();
        assertThat(routers.isRouter(key(a))).as("before its announcement").isFalse();
        assertThat(routers.onAnnouncement(announcement(a, ProbationState.PROBATION, now.get(), 60))).isTrue();
        assertThat(routers.onAnnouncement(announcement(b, ProbationState.ACTIVE, now.get(), 3600))).isTrue();
        assertThat(routers.trusted()).containsExactlyInAnyOrder(key(a), key(b));
        assertThat(routers.isRouter(key(KeyPair.generate()))).isFalse();

        now.addAndGet(61); // a's announcement expired and was not renewed
        assertThat(routers.trusted()).containsExactly(key(b));
        // an older copy from a slow relay neither replaces the newer one nor revives an expired router
        assertThat(routers.onAnnouncement(announcement(a, ProbationState.PROBATION, now.get() - 100, 90))).isFalse();
        assertThat(routers.isRouter(key(a))).isFalse();
    }

    @Test
    void theOperatorMayNameRoutersOrAskForGraduatedOnes() {
        KeyPair named = KeyPair.generate();
        KeyPair other = KeyPair.generate();
        KeyPair graduated = KeyPair.generate();
        AnnouncedRouters allowList = new AnnouncedRouters(null,
                new AnnouncedRouters.Policy(Set.of(key(named)), false), clock);
        AnnouncedRouters graduatedOnly = new AnnouncedRouters(null, new AnnouncedRouters.Policy(Set.of(), true),
                clock);
        for (AnnouncedRouters r : List.of(allowList, graduatedOnly)) {
            r.onAnnouncement(announcement(named, ProbationState.PROBATION, now.get(), 3600));
            r.onAnnouncement(announcement(other, ProbationState.PROBATION, now.get(), 3600));
            r.onAnnouncement(announcement(graduated, ProbationState.ACTIVE, now.get(), 3600));
        }
        assertThat(allowList.trusted()).containsExactly(key(named));
        assertThat(graduatedOnly.trusted()).containsExactly(key(graduated));
    }

    private static PublicKey key(KeyPair keys) {
        return PublicKey.of(keys.publicKey());
    }
}
