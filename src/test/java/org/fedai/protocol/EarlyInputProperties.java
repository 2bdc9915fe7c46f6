package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.fedai.nostr.KeyPair;

/**
 * An input sent with its spec (4400 early_input), on real NIP-44 v2: every candidate node opens exactly the texts and
 * params the client sealed; a node it was not sealed for has nothing to open; a seal altered on the way, or made by
 * another key than the quote's client, does not open.
 */
class EarlyInputProperties {

    private static final String JOB = "ab".repeat(32);
    private static final KeyPair CLIENT = KeyPair.generate();
    private static final List<KeyPair> NODES = List.of(KeyPair.generate(), KeyPair.generate(), KeyPair.generate());

    @Property(tries = 50)
    void everyCandidateOpensWhatTheClientSealed(@ForAll @Size(min = 1, max = 4) List<@StringLength(max = 200) String> texts,
            @ForAll @IntRange(min = 1, max = 3) int candidates) {
        List<String> nodes = NODES.subList(0, candidates).stream().map(KeyPair::publicKey).toList();
        EarlyInput sealed = EarlyInput.seal(texts, Map.of("max_tokens", "64"), nodes, CLIENT);
        for (KeyPair node : NODES.subList(0, candidates)) {
            JobRequest.Input opened = EarlyInput.open(sealed.forNode(node.publicKey()).orElseThrow(), node,
                    CLIENT.publicKey(), JOB, 100).orElseThrow();
            assertThat(opened.texts()).isEqualTo(texts);
            assertThat(opened.params()).isEqualTo(Map.of("max_tokens", "64"));
            assertThat(opened.commitment()).isEqualTo(JobRequest.commitmentOf(texts));
        }
        assertThat(sealed.forNode(KeyPair.generate().publicKey())).isEmpty();
    }

    @Property(tries = 30)
    void anAlteredSealOrAnotherClientsDoesNotOpen(@ForAll @StringLength(min = 1, max = 100) String text) {
        KeyPair node = NODES.get(0);
        EarlyInput sealed = EarlyInput.seal(List.of(text), Map.of(), List.of(node.publicKey()), CLIENT);
        EarlyInput.Forwarded forwarded = sealed.forNode(node.publicKey()).orElseThrow();
        String c = forwarded.ciphertext();
        int at = c.length() / 2;
        String flipped = c.substring(0, at) + (c.charAt(at) == 'A' ? 'B' : 'A') + c.substring(at + 1);
        assertThat(EarlyInput.open(new EarlyInput.Forwarded(flipped, forwarded.key()), node, CLIENT.publicKey(), JOB,
                100).isAccepted()).isFalse();
        assertThat(EarlyInput.open(forwarded, node, KeyPair.generate().publicKey(), JOB, 100).isAccepted())
                .as("the quote names another client: its key does not open the seal").isFalse();
    }
}
