package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class Nip13Test {

    private static final KeyPair KEYS = KeyPair.generate();

    private static Event withTags(String id, List<List<String>> tags) {
        return new Event(id, KEYS.publicKey(), 1, 1, tags, "", "0".repeat(128));
    }

    @Test
    void countsLeadingZeroBitsOfTheSpecExample() {
        // the difficulty-36 id given in NIP-13
        assertThat(Nip13.leadingZeroBits("000000000e9d97a1ab09fc381030b346cdd7a142ad57e6df0b46dc9bef6c7e2d"))
                .isEqualTo(36);
        assertThat(Nip13.leadingZeroBits("002f")).isEqualTo(10);
        assertThat(Nip13.leadingZeroBits("f0")).isZero();
        assertThat(Nip13.leadingZeroBits("1")).isEqualTo(3);
        assertThat(Nip13.leadingZeroBits("0".repeat(64))).isEqualTo(256);
    }

    @Test
    void eventWithoutNonceTagHasNoCommittedTarget() {
        Event event = withTags("ff".repeat(32), List.of(List.of("t", "x")));
        assertThat(Nip13.committedTarget(event)).isEmpty();
        assertThat(Nip13.check(event, 0)).isEqualTo(Nip13.Check.OK);
        assertThat(Nip13.check(event, 1)).isEqualTo(Nip13.Check.INSUFFICIENT_WORK);
    }

    @Test
    void minedEventMeetsItsTargetAndStillVerifies() {
        UnsignedEvent draft = new UnsignedEvent(1_700_000_000L, 1,
                List.of(List.of("t", "pow"), List.of("nonce", "999", "3")), "it's just me mining my own business");
        UnsignedEvent mined = Nip13.mine(draft, KEYS.publicKey(), 10);
        Event event = EventSigner.sign(mined, KEYS);

        assertThat(EventVerifier.check(event)).isEqualTo(EventCheck.VALID);
        assertThat(Nip13.difficulty(event)).isGreaterThanOrEqualTo(10);
        assertThat(Nip13.committedTarget(event)).contains(10);
        assertThat(event.tags()).filteredOn(t -> t.get(0).equals("nonce")).hasSize(1);
        assertThat(event.tags()).contains(List.of("t", "pow"));
        assertThat(Nip13.check(event, 10)).isEqualTo(Nip13.Check.OK);
    }

    @Test
    void luckyIdWithLowCommittedTargetIsRefused() {
        Event lucky = withTags("0000" + "ff".repeat(30), List.of(List.of("nonce", "7", "4")));
        assertThat(Nip13.difficulty(lucky)).isEqualTo(16);
        assertThat(Nip13.check(lucky, 16)).isEqualTo(Nip13.Check.TARGET_TOO_LOW);
        assertThat(Nip13.check(lucky, 4)).isEqualTo(Nip13.Check.OK);
    }

    @Test
    void malformedTargetIsReported() {
        Event event = withTags("00" + "ff".repeat(31), List.of(List.of("nonce", "1", "lots")));
        assertThat(Nip13.check(event, 1)).isEqualTo(Nip13.Check.MALFORMED_NONCE_TAG);
        assertThatThrownBy(() -> Nip13.committedTarget(event)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Nip13.check(withTags("00" + "ff".repeat(31), List.of(List.of("nonce", "1", "-3"))), 1))
                .isEqualTo(Nip13.Check.MALFORMED_NONCE_TAG);
    }

    @Test
    void refusesImpossibleTargets() {
        UnsignedEvent draft = UnsignedEvent.of(1, "x", List.of());
        assertThatThrownBy(() -> Nip13.mine(draft, KEYS.publicKey(), 257)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nip13.mine(draft, KEYS.publicKey(), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
