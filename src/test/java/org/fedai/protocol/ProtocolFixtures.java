package org.fedai.protocol;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/** Valid sample values and a way to re-sign an event after a test breaks one of its parts. */
final class ProtocolFixtures {

    static final long NOW = 1_763_769_600L;
    static final KeyPair NODE = KeyPair.generate();
    static final KeyPair ROUTER = KeyPair.generate();
    static final KeyPair CLIENT = KeyPair.generate();
    static final KeyPair DENIED = KeyPair.generate();
    static final String LIGHTNING_KEY = "02" + "ab".repeat(32);

    private ProtocolFixtures() {
    }

    static CapabilityManifest manifest() {
        return new CapabilityManifest("node-1", "fedai/0.1.0", Set.of(CapabilityManifest.Role.INFERENCE),
                List.of(new CapabilityManifest.ModelOffer("all-minilm-l6-v2-q", "embedding", 65536),
                        new CapabilityManifest.ModelOffer("chunker", "chunk", 1 << 20)),
                List.of(new CapabilityManifest.Price("all-minilm-l6-v2-q", "text", 1000, 1000)),
                new CapabilityManifest.Limits(4, 65536),
                new PaymentTerms(Set.of(PaymentTiming.BEFORE), LIGHTNING_KEY,
                        "regtest"),
                Map.of("cpu", "medium", "gpu", "none"), Map.of("embedding_texts_per_s", 520.0),
                List.of("ws://127.0.0.1:7447"), NOW + 3600);
    }

    static RouterAnnouncement announcement() {
        return new RouterAnnouncement("router-1", "fedai/0.1.0", new RouterAnnouncement.Fee(100, 10_000),
                new PaymentTerms(Set.of(PaymentTiming.BEFORE, PaymentTiming.AFTER), "03" + "cd".repeat(32), "regtest"),
                new RouterAnnouncement.Policy(1_000_000, 8, 60),
                new RouterAnnouncement.Probation(RouterAnnouncement.ProbationState.PROBATION, 12, 50, 400, 1000,
                        250_000, 100_000, 65_536, "ef".repeat(32)),
                Map.of("verify_per_s", 25_000.0), List.of("ws://127.0.0.1:7447"), NOW + 3600);
    }

    static JobRequest.Spec spec() {
        long bytes = texts().stream().mapToLong(t -> t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
        return new JobRequest.Spec("all-minilm-l6-v2-q", "embedding", JobRequest.commitmentOf(texts()), bytes, 2,
                20_000, new JobRequest.Constraints(Set.of(), Set.of(DENIED.publicKey()), ""),
                PaymentTiming.BEFORE, NOW + 600, NOW + 300);
    }

    static List<String> texts() {
        return List.of("the cat sat", "on the mat 🐈");
    }

    /** Plaintext of a sealed event, decrypted as its recipient would. */
    static String open(Event e, KeyPair recipient) {
        return org.fedai.nostr.Nip44.decrypt(e.content(),
                org.fedai.nostr.Nip44.conversationKey(recipient.secretKey(), e.pubkey()));
    }

    /** Re-seals a sealed event's plaintext after {@code edit}, signed by {@code author}, keeping its tags. */
    static Event resealed(Event e, KeyPair author, KeyPair recipient, java.util.function.UnaryOperator<String> edit) {
        String plaintext = edit.apply(open(e, recipient));
        String sealed = org.fedai.nostr.Nip44.encrypt(plaintext,
                org.fedai.nostr.Nip44.conversationKey(author.secretKey(), recipient.publicKey()));
        return EventSigner.sign(new UnsignedEvent(e.createdAt(), e.kind(), e.tags(), sealed), author);
    }

    static Event sign(UnsignedEvent unsigned) {
        return EventSigner.sign(unsigned, NODE);
    }

    /** The same event with its content replaced, re-signed so that only the content is wrong. */
    static Event withContent(Event e, String content) {
        return sign(new UnsignedEvent(e.createdAt(), e.kind(), e.tags(), content));
    }

    /** The same event with its tags replaced, re-signed. */
    static Event withTags(Event e, List<List<String>> tags) {
        return sign(new UnsignedEvent(e.createdAt(), e.kind(), tags, e.content()));
    }

    static List<List<String>> without(Event e, String tagName) {
        return e.tags().stream().filter(t -> !t.get(0).equals(tagName)).toList();
    }

    static List<List<String>> replacing(Event e, String tagName, String value) {
        return e.tags().stream().map(t -> t.get(0).equals(tagName) ? List.of(tagName, value) : t).toList();
    }
}
