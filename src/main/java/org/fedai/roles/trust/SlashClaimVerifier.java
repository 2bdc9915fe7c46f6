package org.fedai.roles.trust;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventCheck;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Hex;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.MeteringCodecs;
import org.fedai.protocol.MeteringRecord;
import org.fedai.protocol.NodeAttestation;
import org.fedai.protocol.NodeAttestationCodec;
import org.fedai.protocol.Rejection;
import org.fedai.protocol.RouterAnnouncementCodec;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.SlashClaimCodec;
import org.fedai.protocol.StakeBondCodec;
import org.fedai.roles.trust.SlashVerdict.Refusal;

/**
 * Decides whether a 4409 slash claim is proven by the signed events it names, exactly as
 * event-kinds/4409-slash-claim.md specifies, so that any two honest verifiers given the same events agree.
 * Pure: it reads only the claim and the events supplied (as fetched from relays); deadlines are judged at the
 * claim's own {@code created_at}, and {@code now} serves only to refuse a claim dated ahead of it. Only public parts of events are read, because a third party holds no key to
 * the sealed ones.
 */
public final class SlashClaimVerifier {

    /** A measured benchmark contradicts the manifest when it is below the claim divided by this. */
    public static final double MISREPRESENTATION_FACTOR = 2.0;

    /** How far ahead of the verifier's clock a claim may be dated. */
    public static final long MAX_CLOCK_SKEW_SECONDS = 600;

    /** Rejections that say the event's form is wrong, whenever it is read (not its age or its addressee). */
    private static final Set<Rejection.Reason> FORM = Set.of(Rejection.Reason.MISSING_TAG,
            Rejection.Reason.MALFORMED_TAG, Rejection.Reason.MALFORMED_CONTENT, Rejection.Reason.INCONSISTENT,
            Rejection.Reason.TOO_LARGE);

    private SlashClaimVerifier() {
    }

    /**
     * @param supplied the evidence events and any counter-evidence (e.g. results found on relays); events the
     *                 claim does not name count only as counter-evidence, and only when their signature holds
     */
    public static SlashVerdict verify(Event claimEvent, Collection<Event> supplied, long now) {
        EventCheck check = EventVerifier.check(claimEvent);
        if (!check.valid()) {
            return invalid(Refusal.CLAIM_FORGED, check.reason());
        }
        if (claimEvent.createdAt() > now + MAX_CLOCK_SKEW_SECONDS) {
            // a post-dated claim would make any deadline look passed
            return invalid(Refusal.CLAIM_FROM_FUTURE, "created_at " + claimEvent.createdAt() + ", now " + now);
        }
        SlashClaim claim;
        switch (SlashClaimCodec.decode(claimEvent)) {
            case Decoded.Rejected<SlashClaim> r -> {
                return invalid(Refusal.CLAIM_MALFORMED, r.rejection().toString());
            }
            case Decoded.Accepted<SlashClaim> a -> claim = a.value();
        }
        Map<String, Event> byId = new HashMap<>();
        // a forged copy under a genuine id must not shadow the genuine event
        supplied.forEach(e -> byId.merge(e.id(), e, (old, neu) -> EventVerifier.isValid(old) ? old : neu));
        List<Event> evidence = new ArrayList<>();
        for (String id : claim.evidence()) {
            Event e = byId.get(id);
            if (e == null) {
                return invalid(Refusal.EVIDENCE_MISSING, id);
            }
            EventCheck ec = EventVerifier.check(e);
            if (!ec.valid()) {
                return invalid(Refusal.EVIDENCE_FORGED, id + ": " + ec.reason());
            }
            if (e.createdAt() > claimEvent.createdAt()) {
                return invalid(Refusal.EVIDENCE_AFTER_CLAIM, id);
            }
            evidence.add(e);
        }
        List<Event> counter = supplied.stream().filter(e -> !claim.evidence().contains(e.id()))
                .filter(EventVerifier::isValid).toList();
        Case c = new Case(claimEvent, claim, evidence, counter);
        return switch (claim.reason()) {
            case NON_DELIVERY -> nonDelivery(c);
            case TAMPERING -> tampering(c);
            case MISREPRESENTATION -> misrepresentation(c);
            case REFUSED_ACCEPTED_JOB -> refusedAcceptedJob(c);
            case POLICY_VIOLATION -> policyViolation(c);
        };
    }

    private record Case(Event claimEvent, SlashClaim claim, List<Event> evidence, List<Event> counter) {
        String claimant() {
            return claimEvent.pubkey();
        }

        String accused() {
            return claim.accused();
        }

        List<Event> byAccused(FedaiKind kind) {
            return evidence.stream().filter(e -> e.kind() == kind.number() && e.pubkey().equals(accused())).toList();
        }
    }

    /**
     * An accepted status, an input receipt by the deadline, a work order with a public deadline, the deadline passed,
     * and no result by then.
     */
    private static SlashVerdict nonDelivery(Case c) {
        if (acceptance(c).isEmpty()) {
            return invalid(Refusal.NO_ACCEPTANCE, "job " + c.claim().job());
        }
        Optional<Event> order = workOrder(c);
        if (order.isEmpty()) {
            return invalid(Refusal.NO_WORK_ORDER, "job " + c.claim().job());
        }
        long deliverBy = deliverBy(order.get()).orElseThrow();
        if (inputReceipt(c).filter(e -> e.createdAt() <= deliverBy).isEmpty()) {
            return invalid(Refusal.NO_INPUT_RECEIPT, "job " + c.claim().job() + ": no input_received by " + deliverBy);
        }
        if (deliverBy < order.get().createdAt() || c.claimEvent().createdAt() <= deliverBy) {
            return invalid(Refusal.DEADLINE_NOT_PASSED, "deliver_by " + deliverBy + ", claim at "
                    + c.claimEvent().createdAt());
        }
        List<Event> all = new ArrayList<>(c.evidence());
        all.addAll(c.counter());
        Optional<Event> result = all.stream().filter(e -> e.kind() == FedaiKind.JOB_RESULT.number()
                && e.pubkey().equals(c.accused()) && forJob(e, c.claim().job()) && e.createdAt() <= deliverBy)
                .findFirst();
        if (result.isPresent()) {
            return invalid(Refusal.RESULT_DELIVERED, result.get().id());
        }
        return new SlashVerdict.Valid(c.claim(), List.of(c.claimant()));
    }

    /**
     * Two output hashes the accused signed for one job that differ (4406 x against 4406 x or 4407), or, with the
     * revealed conversation key, a sealed result whose output does not hash to the node's public x.
     */
    private static SlashVerdict tampering(Case c) {
        String job = c.claim().job();
        List<Event> results = c.byAccused(FedaiKind.JOB_RESULT).stream().filter(e -> forJob(e, job))
                .filter(e -> e.firstTagValue("x").filter(x -> Hex.isLowerHex(x, 32)).isPresent()).toList();
        if (results.isEmpty()) {
            return invalid(Refusal.NO_RESULT, "job " + job);
        }
        Set<String> hashes = results.stream().map(e -> e.firstTagValue("x").orElseThrow())
                .collect(Collectors.toCollection(java.util.HashSet::new));
        for (Event e : c.byAccused(FedaiKind.METERING_RECORD)) {
            if (MeteringCodecs.decodeRecord(e) instanceof Decoded.Accepted<MeteringRecord> a
                    && a.value().jobId().equals(job)) {
                hashes.add(a.value().outputSha256());
            }
        }
        if (hashes.size() > 1) {
            return new SlashVerdict.Valid(c.claim(), List.of());
        }
        if (c.claim().conversationKey().isEmpty()) {
            return invalid(Refusal.HASHES_AGREE, "job " + job);
        }
        return openedResults(c, results);
    }

    /** The sealed outputs against their public hash; the node's signature and the NIP-44 MAC bind what opens. */
    private static SlashVerdict openedResults(Case c, List<Event> results) {
        byte[] key = Hex.decode(c.claim().conversationKey());
        Map<Integer, JobResult> parts = new HashMap<>();
        boolean opened = false;
        for (Event e : results) {
            switch (JobProgressCodecs.decodeResult(e, key)) {
                case Decoded.Accepted<JobResult> a -> {
                    opened = true;
                    parts.put(a.value().part(), a.value());
                }
                case Decoded.Rejected<JobResult> r -> {
                    if (r.rejection().reason() == Rejection.Reason.INCONSISTENT) {
                        return new SlashVerdict.Valid(c.claim(), List.of()); // output or hash contradicts x
                    }
                    opened |= r.rejection().reason() != Rejection.Reason.UNDECRYPTABLE;
                }
            }
        }
        if (!opened) {
            return invalid(Refusal.KEY_DOES_NOT_OPEN, "the conversation key opens no result");
        }
        int n = parts.isEmpty() ? 0 : parts.values().iterator().next().parts();
        boolean complete = n > 1 && parts.size() == n
                && parts.values().stream().allMatch(p -> p.parts() == n);
        if (complete && !JobProgressCodecs.assemble(List.copyOf(parts.values())).isAccepted()) {
            return new SlashVerdict.Valid(c.claim(), List.of());
        }
        return invalid(Refusal.HASHES_AGREE, "opened outputs match their hash");
    }

    /** The accused's manifest claims a benchmark; a later attestation by another key measured under half of it. */
    private static SlashVerdict misrepresentation(Case c) {
        String key = c.claim().benchmark();
        Optional<Event> manifest = c.byAccused(FedaiKind.CAPABILITY_MANIFEST).stream()
                .filter(e -> claimed(e, key) > 0).findFirst();
        if (manifest.isEmpty()) {
            return invalid(Refusal.NO_MANIFEST, "benchmark " + key);
        }
        double claimed = claimed(manifest.get(), key);
        List<String> attesters = new ArrayList<>();
        for (Event e : c.evidence()) {
            if (e.kind() != FedaiKind.NODE_ATTESTATION.number() || e.pubkey().equals(c.accused())
                    || e.createdAt() < manifest.get().createdAt()) {
                continue;
            }
            if (NodeAttestationCodec.decode(e, e.createdAt()) instanceof Decoded.Accepted<NodeAttestation> a
                    && a.value().node().equals(c.accused()) && a.value().benchmarks().containsKey(key)
                    && a.value().benchmarks().get(key) * MISREPRESENTATION_FACTOR < claimed) {
                attesters.add(e.pubkey());
            }
        }
        if (attesters.isEmpty()) {
            return invalid(Refusal.NOT_CONTRADICTED, key + " claimed " + claimed);
        }
        return new SlashVerdict.Valid(c.claim(), attesters.stream().distinct().toList());
    }

    /** Accepted, then ordered to work by the claimant, then an {@code error} status: the job was refused. */
    private static SlashVerdict refusedAcceptedJob(Case c) {
        if (acceptance(c).isEmpty()) {
            return invalid(Refusal.NO_ACCEPTANCE, "job " + c.claim().job());
        }
        Optional<Event> order = workOrder(c);
        if (order.isEmpty()) {
            return invalid(Refusal.NO_WORK_ORDER, "job " + c.claim().job());
        }
        if (inputReceipt(c).isEmpty()) {
            // an error for want of the client's input is not a refusal of the work
            return invalid(Refusal.NO_INPUT_RECEIPT, "job " + c.claim().job());
        }
        boolean refused = c.byAccused(FedaiKind.JOB_STATUS).stream()
                .filter(e -> e.createdAt() >= order.get().createdAt())
                .anyMatch(e -> status(e, c).filter(s -> s.state() == JobStatus.State.ERROR).isPresent());
        return refused ? new SlashVerdict.Valid(c.claim(), List.of(c.claimant()))
                : invalid(Refusal.NO_REFUSAL, "job " + c.claim().job());
    }

    /** A public fedai event signed by the accused that its kind's codec refuses on form, read at its own time. */
    private static SlashVerdict policyViolation(Case c) {
        for (Event e : c.evidence()) {
            if (!e.pubkey().equals(c.accused()) || !e.tags().contains(List.of("t", "fedai"))) {
                continue;
            }
            Optional<Rejection> rejection = formRejection(e);
            if (rejection.isPresent() && FORM.contains(rejection.get().reason())) {
                return new SlashVerdict.Valid(c.claim(), List.of());
            }
        }
        return invalid(Refusal.NO_VIOLATION, "no evidence event of the accused is malformed");
    }

    private static Optional<Rejection> formRejection(Event e) {
        Optional<FedaiKind> kind = FedaiKind.of(e.kind());
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        Decoded<?> decoded = switch (kind.get()) {
            case CAPABILITY_MANIFEST -> CapabilityManifestCodec.decode(e, e.createdAt());
            case ROUTER_ANNOUNCEMENT -> RouterAnnouncementCodec.decode(e, e.createdAt());
            case STAKE_BOND -> StakeBondCodec.decode(e, e.createdAt());
            case NODE_ATTESTATION -> NodeAttestationCodec.decode(e, e.createdAt());
            case JOB_STATUS -> JobProgressCodecs.decodeStatus(e);
            case METERING_RECORD -> MeteringCodecs.decodeRecord(e);
            case METERING_RECEIPT -> MeteringCodecs.decodeReceipt(e);
            case SLASH_CLAIM -> SlashClaimCodec.decode(e);
            // sealed or ephemeral kinds: a third party cannot read their form
            default -> null;
        };
        return decoded instanceof Decoded.Rejected<?> r ? Optional.of(r.rejection()) : Optional.empty();
    }

    private static Optional<Event> acceptance(Case c) {
        return statusOf(c, JobStatus.State.ACCEPTED);
    }

    private static Optional<Event> inputReceipt(Case c) {
        return statusOf(c, JobStatus.State.INPUT_RECEIVED);
    }

    /** The accused's earliest status {@code state} for the claim's job among the evidence. */
    private static Optional<Event> statusOf(Case c, JobStatus.State state) {
        return c.byAccused(FedaiKind.JOB_STATUS).stream().filter(e -> status(e, c)
                .filter(s -> s.state() == state).isPresent()).min(java.util.Comparator.comparingLong(Event::createdAt));
    }

    /** The accused's status for the claim's job, naming the claimant as the router. */
    private static Optional<JobStatus> status(Event e, Case c) {
        return JobProgressCodecs.decodeStatus(e) instanceof Decoded.Accepted<JobStatus> a
                && a.value().jobId().equals(c.claim().job()) && a.value().router().equals(c.claimant())
                ? Optional.of(a.value()) : Optional.empty();
    }

    private static Optional<Event> workOrder(Case c) {
        return c.evidence().stream().filter(e -> e.kind() == FedaiKind.WORK_ORDER.number()
                && e.pubkey().equals(c.claimant()) && forJob(e, c.claim().job())
                && e.firstTagValue("p").filter(c.accused()::equals).isPresent()
                && e.tags().contains(List.of("v", "1")) && deliverBy(e).isPresent()).findFirst();
    }

    private static OptionalLong deliverBy(Event order) {
        Optional<String> raw = order.firstTagValue("deliver_by");
        if (raw.isEmpty() || !raw.get().matches("[0-9]{1,18}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(raw.get()));
    }

    private static boolean forJob(Event e, String job) {
        return e.firstTagValue("e").filter(job::equals).isPresent();
    }

    private static double claimed(Event manifest, String key) {
        return CapabilityManifestCodec.decode(manifest, manifest.createdAt())
                instanceof Decoded.Accepted<CapabilityManifest> a ? a.value().benchmarks().getOrDefault(key, 0.0) : 0;
    }

    private static SlashVerdict invalid(Refusal refusal, String detail) {
        return new SlashVerdict.Invalid(refusal, detail);
    }
}
