package org.fedai.roles.trust;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.MeteringCodecs;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.NodeAttestation;
import org.fedai.protocol.NodeAttestationCodec;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.SlashClaimCodec;
import org.fedai.protocol.WorkOrder;

/**
 * One market job played with real keys and real signatures, as the events a slash claim would name: the node's
 * acceptance, the router's work order (deliver_by {@link #DELIVER_BY}), results, metering, manifest, attestations.
 */
final class SlashEvidence {

    static final long T0 = 1_763_769_600L;
    static final long DELIVER_BY = T0 + 300;
    static final String BENCH = "embedding_texts_per_s";

    final KeyPair router = KeyPair.generate();
    final KeyPair node = KeyPair.generate();
    final KeyPair client = KeyPair.generate();
    final String job = "ab".repeat(32);

    Event status(JobStatus.State state, long at) {
        return EventSigner.sign(JobProgressCodecs.encodeStatus(
                new JobStatus(job, client.publicKey(), router.publicKey(), state, ""), at), node);
    }

    Event accepted() {
        return status(JobStatus.State.ACCEPTED, T0 + 5);
    }

    /** The node's word that it holds the client's input, before the work order. */
    Event inputReceived() {
        return status(JobStatus.State.INPUT_RECEIVED, T0 + 8);
    }

    Event workOrder(KeyPair signer, long deliverBy) {
        return EventSigner.sign(PaymentCodecs.encodeWorkOrder(new WorkOrder(job, "cd".repeat(32), client.publicKey(),
                WorkAuthorization.PAID, List.of("ef".repeat(32)), deliverBy), signer, node.publicKey(), T0 + 20),
                signer);
    }

    Event workOrder() {
        return workOrder(router, DELIVER_BY);
    }

    Event result(String output, long at) {
        JobResult r = new JobResult(job, "text", output, 1, 1, JobResult.sha256(output), 1, "text");
        return EventSigner.sign(JobProgressCodecs.encodeResult(r, node, client.publicKey(), at), node);
    }

    /** One part of a result as the node signs it; {@code wholeHash} goes public in x whatever {@code output} is. */
    Event resultPart(String output, int part, int parts, String wholeHash, long at) {
        JobResult r = new JobResult(job, "text", output, part, parts, wholeHash, 1, "text");
        return EventSigner.sign(JobProgressCodecs.encodeResult(r, node, client.publicKey(), at), node);
    }

    /** The client-node NIP-44 conversation key, as the client reveals it in a tampering claim. */
    String conversationKey() {
        return Hex.encode(Nip44.conversationKey(client.secretKey(), node.publicKey()));
    }

    Event tamperingClaim(String conversationKey, long at, Event... evidence) {
        List<String> ids = java.util.Arrays.stream(evidence).map(Event::id).toList();
        return EventSigner.sign(SlashClaimCodec.encode(new SlashClaim(node.publicKey(), SlashClaim.Reason.TAMPERING,
                ids, job, "", "", conversationKey), at), client);
    }

    Event metering(String outputSha256) {
        return EventSigner.sign(MeteringCodecs.encodeRecord(new MeteringRecord(job, client.publicKey(),
                router.publicKey(), "m", 1, "text", 1000, List.of("ef".repeat(32)), outputSha256, T0 + 30, T0 + 40),
                T0 + 41), node);
    }

    Event manifest(double claimed) {
        CapabilityManifest m = new CapabilityManifest("node-1", "fedai/0.1.0", Set.of(CapabilityManifest.Role.INFERENCE),
                List.of(new CapabilityManifest.ModelOffer("m", "embedding", 0)),
                List.of(new CapabilityManifest.Price("m", "text", 1000, 1000)), new CapabilityManifest.Limits(1, 0),
                new PaymentTerms(Set.of(PaymentTiming.BEFORE), "02" + "ab".repeat(32), "regtest"), Map.of(),
                Map.of(BENCH, claimed), List.of(), T0 + 3600);
        return EventSigner.sign(CapabilityManifestCodec.encode(m, T0), node);
    }

    Event attestation(KeyPair attester, double measured, long at) {
        return EventSigner.sign(NodeAttestationCodec.encode(new NodeAttestation(node.publicKey(), 300, 1, 0, 5, 0.5,
                Map.of(BENCH, measured), at + 3600), at), attester);
    }

    Event claim(KeyPair claimant, SlashClaim.Reason reason, long at, Event... evidence) {
        List<String> ids = java.util.Arrays.stream(evidence).map(Event::id).toList();
        SlashClaim c = new SlashClaim(node.publicKey(), reason, ids, reason.jobBound() ? job : "",
                reason == SlashClaim.Reason.MISREPRESENTATION ? BENCH : "", "");
        return EventSigner.sign(SlashClaimCodec.encode(c, at), claimant);
    }

    /** The same event with its content changed and the old id and signature kept: a forgery. */
    static Event forged(Event e) {
        return new Event(e.id(), e.pubkey(), e.createdAt(), e.kind(), e.tags(), e.content() + " ", e.sig());
    }

    static Event signedBy(KeyPair k, Event e) {
        return EventSigner.sign(new UnsignedEvent(e.createdAt(), e.kind(), e.tags(), e.content()), k);
    }
}
