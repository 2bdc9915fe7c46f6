package org.fedai.nostr.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.nostr.relay.TestEvents.signed;

import org.fedai.nostr.KeyPair;
import org.junit.jupiter.api.Test;

class Nip09DeletionTest {

    final KeyPair alice = KeyPair.generate();
    final KeyPair bob = KeyPair.generate();

    @Test
    void emptyRequestTargetsNothing() {
        Nip09Deletion.Targets t = Nip09Deletion.targets(signed(alice, 5, 100, ""));
        assertThat(t.ids()).isEmpty();
        assertThat(t.addresses()).isEmpty();
        assertThat(t.author()).isEqualTo(alice.publicKey());
        assertThat(t.until()).isEqualTo(100);
    }

    @Test
    void unknownTagsAreIgnored() {
        assertThat(Nip09Deletion.targets(signed(alice, 5, 100, "", "k", "1", "p", bob.publicKey())).ids()).isEmpty();
    }

    @Test
    void validIdsAndOwnAddressesAreTargets() {
        String id = signed(alice, 1, 1, "x").id();
        Nip09Deletion.Targets t = Nip09Deletion.targets(signed(alice, 5, 100, "", "e", id, "a",
                "31400:" + alice.publicKey() + ":node", "a", "10002:" + alice.publicKey() + ":"));
        assertThat(t.ids()).containsExactly(id);
        assertThat(t.addresses()).containsExactly(new Nip09Deletion.Address(31400, alice.publicKey(), "node"),
                new Nip09Deletion.Address(10002, alice.publicKey(), ""));
    }

    @Test
    void malformedOrForeignTargetsAreDropped() {
        Nip09Deletion.Targets t = Nip09Deletion.targets(signed(alice, 5, 100, "", "e", "not-hex", "e",
                "ABCDEF", "a", "31400:" + bob.publicKey() + ":node", "a", "1:" + alice.publicKey() + ":x",
                "a", "x:" + alice.publicKey() + ":d", "a", "31400-no-colons"));
        assertThat(t.ids()).isEmpty();
        assertThat(t.addresses()).isEmpty();
    }

    @Test
    void dTagsMayContainColons() {
        assertThat(Nip09Deletion.parseAddress("30000:" + alice.publicKey() + ":a:b"))
                .isEqualTo(new Nip09Deletion.Address(30000, alice.publicKey(), "a:b"));
    }
}
