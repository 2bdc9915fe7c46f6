package org.fedai.roles.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.PaymentTerms;
import org.junit.jupiter.api.Test;

/**
 * The nodes a client seals an early input for (4400 {@code early_input}): those whose manifests say a router could
 * choose them, and only while their manifests are in force (a router drops a node whose manifest expired, so sealing
 * for it costs a key in the spec for nothing).
 */
class LightningKeyDirectoryTest {

    private static final long NOW = 1_800_000_000L;
    private static final String MODEL = "all-minilm-l6-v2-q";

    @Test
    void aNodeIsACandidateWhileItsManifestIsInForceAndOnlyForWhatItOffers() {
        KeyPair node = KeyPair.generate();
        LightningKeyDirectory directory = new LightningKeyDirectory();
        assertThat(directory.accept(EventSigner.sign(CapabilityManifestCodec.encode(manifest(NOW + 600), NOW), node),
                NOW)).isNull();

        assertThat(directory.candidatesFor(spec(MODEL, PaymentTiming.BEFORE), 8, NOW)).containsExactly(node.publicKey());
        assertThat(directory.candidatesFor(spec(MODEL, PaymentTiming.BEFORE), 8, NOW + 600)).as("expired").isEmpty();
        assertThat(directory.candidatesFor(spec(MODEL, PaymentTiming.HOLD), 8, NOW)).as("a timing it does not take")
                .isEmpty();
        assertThat(directory.candidatesFor(spec("another-model", PaymentTiming.BEFORE), 8, NOW)).as("a model it does not"
                + " price").isEmpty();
    }

    private static CapabilityManifest manifest(long expiresAt) {
        return new CapabilityManifest("node-1", "fedai/0.1.0", Set.of(CapabilityManifest.Role.INFERENCE),
                List.of(new CapabilityManifest.ModelOffer(MODEL, "embedding", 65536)),
                List.of(new CapabilityManifest.Price(MODEL, "text", 1000, 1000)), new CapabilityManifest.Limits(4, 65536),
                new PaymentTerms(Set.of(PaymentTiming.BEFORE), "02" + "ab".repeat(32), "regtest"), Map.of("cpu", "medium"),
                Map.of(), List.of("ws://127.0.0.1:7447"), expiresAt);
    }

    private static JobRequest.Spec spec(String model, PaymentTiming timing) {
        List<String> texts = List.of("the cat sat");
        return new JobRequest.Spec(model, "embedding", JobRequest.commitmentOf(texts), 11, 1, 20_000,
                new JobRequest.Constraints(Set.of(), Set.of(), ""), timing, NOW + 600, NOW + 300);
    }
}
