package org.fedai.roles.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.SlashClaim.Reason.MISREPRESENTATION;
import static org.fedai.protocol.SlashClaim.Reason.NON_DELIVERY;
import static org.fedai.protocol.SlashClaim.Reason.POLICY_VIOLATION;
import static org.fedai.protocol.SlashClaim.Reason.REFUSED_ACCEPTED_JOB;
import static org.fedai.protocol.SlashClaim.Reason.TAMPERING;
import static org.fedai.roles.trust.SlashEvidence.DELIVER_BY;
import static org.fedai.roles.trust.SlashEvidence.T0;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.roles.trust.SlashVerdict.Refusal;
import org.junit.jupiter.api.Test;

/** Each reason: the valid claim verifies; each missing, forged or wrong piece of evidence fails with its reason. */
class SlashClaimVerifierTest {

    private final SlashEvidence s = new SlashEvidence();
    private final long late = DELIVER_BY + 60;

    private static SlashVerdict verify(Event claim, Event... supplied) {
        return SlashClaimVerifier.verify(claim, Arrays.asList(supplied), claim.createdAt());
    }

    private static Refusal refusal(SlashVerdict v) {
        return v instanceof SlashVerdict.Invalid i ? i.refusal() : null;
    }

    // common

    @Test
    void aForgedClaimIsRefused() {
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event w = s.workOrder();
        Event claim = SlashEvidence.forged(s.claim(s.router, NON_DELIVERY, late, a, i, w));
        assertThat(refusal(verify(claim, a, i, w))).isEqualTo(Refusal.CLAIM_FORGED);
    }

    @Test
    void aClaimDatedAheadOfTheVerifierIsRefused() {
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event w = s.workOrder();
        Event claim = s.claim(s.router, NON_DELIVERY, late, a, i, w);
        assertThat(SlashClaimVerifier.verify(claim, List.of(a, i, w), late - 601).valid()).isFalse();
        assertThat(refusal(SlashClaimVerifier.verify(claim, List.of(a, i, w), late - 601)))
                .isEqualTo(Refusal.CLAIM_FROM_FUTURE);
        assertThat(SlashClaimVerifier.verify(claim, List.of(a, i, w), late - 600).valid()).isTrue();
    }

    @Test
    void aMalformedClaimIsRefused() {
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event claim = s.claim(s.router, NON_DELIVERY, late, a);
        Event noJob = EventSigner.sign(new UnsignedEvent(late, 4409, claim.tags(), "{}"), s.router);
        assertThat(refusal(verify(noJob, a))).isEqualTo(Refusal.CLAIM_MALFORMED);
    }

    @Test
    void namedEvidenceMustBeSuppliedGenuineAndNotLaterThanTheClaim() {
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event w = s.workOrder();
        Event claim = s.claim(s.router, NON_DELIVERY, late, a, i, w);
        assertThat(refusal(verify(claim, a))).isEqualTo(Refusal.EVIDENCE_MISSING);
        assertThat(refusal(verify(claim, a, i, SlashEvidence.forged(w)))).isEqualTo(Refusal.EVIDENCE_FORGED);
        assertThat(verify(claim, a, i, SlashEvidence.forged(w), w).valid()).as("a forged copy beside the genuine one")
                .isTrue();
        Event early = s.claim(s.router, NON_DELIVERY, T0 + 10, a, i, w);
        assertThat(refusal(verify(early, a, i, w))).isEqualTo(Refusal.EVIDENCE_AFTER_CLAIM);
    }

    // non delivery

    @Test
    void acceptedOrderedAndSilentPastTheDeadlineIsProven() {
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event w = s.workOrder();
        SlashVerdict v = verify(s.claim(s.router, NON_DELIVERY, late, a, i, w), a, i, w);
        assertThat(v).isInstanceOf(SlashVerdict.Valid.class);
        assertThat(((SlashVerdict.Valid) v).witnesses()).containsExactly(s.router.publicKey());
    }

    @Test
    void withoutTheAccusedsOwnAcceptanceItFails() {
        Event w = s.workOrder();
        assertThat(refusal(verify(s.claim(s.router, NON_DELIVERY, late, w), w))).isEqualTo(Refusal.NO_ACCEPTANCE);
        Event notTheNode = SlashEvidence.signedBy(KeyPair.generate(), s.accepted());
        assertThat(refusal(verify(s.claim(s.router, NON_DELIVERY, late, notTheNode, w), notTheNode, w)))
                .isEqualTo(Refusal.NO_ACCEPTANCE);
        Event processing = s.status(JobStatus.State.PROCESSING, T0 + 5);
        assertThat(refusal(verify(s.claim(s.router, NON_DELIVERY, late, processing, w), processing, w)))
                .isEqualTo(Refusal.NO_ACCEPTANCE);
    }

    @Test
    void aNodeThatNeverSaidItHadTheInputOwesNothing() {
        // invariant "slashed only on evidence nothing a client or router controls could fake": a client that withholds
        // its input leaves the node with no input_received, and no claim can be made against it
        Event a = s.accepted();
        Event w = s.workOrder();
        assertThat(refusal(verify(s.claim(s.router, NON_DELIVERY, late, a, w), a, w)))
                .isEqualTo(Refusal.NO_INPUT_RECEIPT);
        Event afterTheDeadline = s.status(JobStatus.State.INPUT_RECEIVED, DELIVER_BY + 1);
        assertThat(refusal(verify(s.claim(s.router, NON_DELIVERY, late, a, afterTheDeadline, w), a, afterTheDeadline,
                w))).isEqualTo(Refusal.NO_INPUT_RECEIPT);
        Event notTheNode = SlashEvidence.signedBy(KeyPair.generate(), s.inputReceived());
        assertThat(refusal(verify(s.claim(s.router, NON_DELIVERY, late, a, notTheNode, w), a, notTheNode, w)))
                .isEqualTo(Refusal.NO_INPUT_RECEIPT);
    }

    @Test
    void anotherRoutersClaimOnThisAcceptanceFails() {
        KeyPair other = KeyPair.generate();
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event w = s.workOrder(other, DELIVER_BY);
        assertThat(refusal(verify(s.claim(other, NON_DELIVERY, late, a, i, w), a, i, w))).isEqualTo(Refusal.NO_ACCEPTANCE);
    }

    @Test
    void theWorkOrderMustBeTheClaimantsWithAPublicDeadline() {
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event foreign = s.workOrder(KeyPair.generate(), DELIVER_BY);
        assertThat(refusal(verify(s.claim(s.router, NON_DELIVERY, late, a, i, foreign), a, i, foreign)))
                .isEqualTo(Refusal.NO_WORK_ORDER);
        Event w = s.workOrder();
        Event noDeadline = EventSigner.sign(new UnsignedEvent(w.createdAt(), w.kind(),
                w.tags().stream().filter(t -> !t.get(0).equals("deliver_by")).toList(), w.content()), s.router);
        assertThat(refusal(verify(s.claim(s.router, NON_DELIVERY, late, a, i, noDeadline), a, i, noDeadline)))
                .isEqualTo(Refusal.NO_WORK_ORDER);
    }

    @Test
    void beforeTheDeadlineThereIsNoClaim() {
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event w = s.workOrder();
        assertThat(refusal(verify(s.claim(s.router, NON_DELIVERY, DELIVER_BY, a, i, w), a, i, w)))
                .isEqualTo(Refusal.DEADLINE_NOT_PASSED);
        Event impossible = s.workOrder(s.router, T0 + 10); // deadline before the order itself
        assertThat(refusal(verify(s.claim(s.router, NON_DELIVERY, late, a, i, impossible), a, i, impossible)))
                .isEqualTo(Refusal.DEADLINE_NOT_PASSED);
    }

    @Test
    void aTimelyResultAnywhereInTheSetRefutesIt() {
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event w = s.workOrder();
        Event claim = s.claim(s.router, NON_DELIVERY, late, a, i, w);
        Event onTime = s.result("out", DELIVER_BY);
        SlashVerdict v = verify(claim, a, i, w, onTime);
        assertThat(refusal(v)).isEqualTo(Refusal.RESULT_DELIVERED);
        assertThat(verify(claim, a, i, w, s.result("out", DELIVER_BY + 1)).valid()).as("late result").isTrue();
        assertThat(verify(claim, a, i, w, SlashEvidence.forged(onTime)).valid()).as("forged counter-evidence")
                .isTrue();
        assertThat(verify(claim, a, i, w, SlashEvidence.signedBy(KeyPair.generate(), onTime)).valid())
                .as("someone else's result").isTrue();
    }

    // tampering

    @Test
    void aResultHashThatDiffersFromTheNodesOwnMeteringIsProven() {
        Event r = s.result("out", T0 + 40);
        Event m = s.metering(JobResult.sha256("other"));
        SlashVerdict v = verify(s.claim(s.client, TAMPERING, late, r, m), r, m);
        assertThat(v.valid()).isTrue();
        assertThat(((SlashVerdict.Valid) v).witnesses()).isEmpty();
    }

    @Test
    void twoResultsWithDifferentHashesAreProven() {
        Event r1 = s.result("out", T0 + 40);
        Event r2 = s.result("tampered", T0 + 41);
        assertThat(verify(s.claim(s.router, TAMPERING, late, r1, r2), r1, r2).valid()).isTrue();
    }

    @Test
    void agreeingHashesAreNoClaim() {
        Event r = s.result("out", T0 + 40);
        Event m = s.metering(JobResult.sha256("out"));
        assertThat(refusal(verify(s.claim(s.router, TAMPERING, late, r, m), r, m))).isEqualTo(Refusal.HASHES_AGREE);
    }

    @Test
    void withoutTheAccusedsResultItFails() {
        Event m = s.metering(JobResult.sha256("other"));
        assertThat(refusal(verify(s.claim(s.router, TAMPERING, late, m), m))).isEqualTo(Refusal.NO_RESULT);
        Event r = SlashEvidence.signedBy(KeyPair.generate(), s.result("out", T0 + 40));
        assertThat(refusal(verify(s.claim(s.router, TAMPERING, late, r, m), r, m))).isEqualTo(Refusal.NO_RESULT);
    }

    @Test
    void aSealedOutputThatDoesNotHashToItsPublicHashIsProvenWithTheRevealedKey() {
        Event r = s.resultPart("evil", 1, 1, JobResult.sha256("good"), T0 + 40);
        Event m = s.metering(JobResult.sha256("good")); // the node's own account agrees with its x: only opening shows it
        assertThat(refusal(verify(s.tamperingClaim("", late, r, m), r, m))).isEqualTo(Refusal.HASHES_AGREE);
        assertThat(verify(s.tamperingClaim(s.conversationKey(), late, r, m), r, m).valid()).isTrue();
    }

    @Test
    void anHonestResultOpenedWithTheKeyIsNoClaim() {
        Event r = s.result("good", T0 + 40);
        assertThat(refusal(verify(s.tamperingClaim(s.conversationKey(), late, r), r))).isEqualTo(Refusal.HASHES_AGREE);
    }

    @Test
    void aKeyThatOpensNothingIsRefused() {
        Event r = s.resultPart("evil", 1, 1, JobResult.sha256("good"), T0 + 40);
        assertThat(refusal(verify(s.tamperingClaim("42".repeat(32), late, r), r))).isEqualTo(Refusal.KEY_DOES_NOT_OPEN);
    }

    @Test
    void aTamperedPartIsProvenOnlyWhenEveryPartIsNamed() {
        String whole = JobResult.sha256("aabb");
        Event p1 = s.resultPart("ax", 1, 2, whole, T0 + 40);
        Event p2 = s.resultPart("bb", 2, 2, whole, T0 + 41);
        assertThat(verify(s.tamperingClaim(s.conversationKey(), late, p1, p2), p1, p2).valid()).isTrue();
        assertThat(refusal(verify(s.tamperingClaim(s.conversationKey(), late, p1), p1)))
                .isEqualTo(Refusal.HASHES_AGREE);
        Event honest = s.resultPart("aa", 1, 2, whole, T0 + 40);
        assertThat(refusal(verify(s.tamperingClaim(s.conversationKey(), late, honest, p2), honest, p2)))
                .isEqualTo(Refusal.HASHES_AGREE);
    }

    // misrepresentation

    @Test
    void aLaterMeasurementUnderHalfTheClaimIsProven() {
        Event m = s.manifest(500);
        Event t = s.attestation(s.router, 200, T0 + 100);
        SlashVerdict v = verify(s.claim(s.router, MISREPRESENTATION, late, m, t), m, t);
        assertThat(v.valid()).isTrue();
        assertThat(((SlashVerdict.Valid) v).witnesses()).containsExactly(s.router.publicKey());
    }

    @Test
    void aMeasurementWithinTheToleranceIsNoClaim() {
        Event m = s.manifest(500);
        Event t = s.attestation(s.router, 300, T0 + 100);
        assertThat(refusal(verify(s.claim(s.router, MISREPRESENTATION, late, m, t), m, t)))
                .isEqualTo(Refusal.NOT_CONTRADICTED);
    }

    @Test
    void selfAttestationsAndOnesOlderThanTheManifestDoNotCount() {
        Event m = s.manifest(500);
        Event self = s.attestation(s.node, 10, T0 + 100);
        assertThat(refusal(verify(s.claim(s.router, MISREPRESENTATION, late, m, self), m, self)))
                .isEqualTo(Refusal.NOT_CONTRADICTED);
        Event older = s.attestation(s.router, 10, T0 - 100);
        assertThat(refusal(verify(s.claim(s.router, MISREPRESENTATION, late, m, older), m, older)))
                .isEqualTo(Refusal.NOT_CONTRADICTED);
    }

    @Test
    void withoutTheAccusedsManifestItFails() {
        Event t = s.attestation(s.router, 10, T0 + 100);
        Event notTheNode = SlashEvidence.signedBy(KeyPair.generate(), s.manifest(500));
        assertThat(refusal(verify(s.claim(s.router, MISREPRESENTATION, late, notTheNode, t), notTheNode, t)))
                .isEqualTo(Refusal.NO_MANIFEST);
    }

    // refused accepted job

    @Test
    void anErrorAfterTheWorkOrderIsProven() {
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event w = s.workOrder();
        Event e = s.status(JobStatus.State.ERROR, T0 + 25);
        assertThat(verify(s.claim(s.router, REFUSED_ACCEPTED_JOB, late, a, i, w, e), a, i, w, e).valid()).isTrue();
    }

    @Test
    void anErrorBeforeTheOrderOrASuccessIsNoRefusal() {
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event w = s.workOrder();
        Event before = s.status(JobStatus.State.ERROR, T0 + 10);
        assertThat(refusal(verify(s.claim(s.router, REFUSED_ACCEPTED_JOB, late, a, i, w, before), a, i, w, before)))
                .isEqualTo(Refusal.NO_REFUSAL);
        Event ok = s.status(JobStatus.State.SUCCESS, T0 + 30);
        assertThat(refusal(verify(s.claim(s.router, REFUSED_ACCEPTED_JOB, late, a, i, w, ok), a, i, w, ok)))
                .isEqualTo(Refusal.NO_REFUSAL);
    }

    @Test
    void anErrorForWantOfTheInputIsNoRefusal() {
        Event a = s.accepted();
        Event w = s.workOrder();
        Event e = s.status(JobStatus.State.ERROR, T0 + 25);
        assertThat(refusal(verify(s.claim(s.router, REFUSED_ACCEPTED_JOB, late, a, w, e), a, w, e)))
                .isEqualTo(Refusal.NO_INPUT_RECEIPT);
    }

    @Test
    void withoutAcceptanceOrOrderItFails() {
        Event w = s.workOrder();
        Event a = s.accepted();
        Event i = s.inputReceived();
        Event e = s.status(JobStatus.State.ERROR, T0 + 25);
        assertThat(refusal(verify(s.claim(s.router, REFUSED_ACCEPTED_JOB, late, w, e), w, e)))
                .isEqualTo(Refusal.NO_ACCEPTANCE);
        assertThat(refusal(verify(s.claim(s.router, REFUSED_ACCEPTED_JOB, late, a, i, e), a, i, e)))
                .isEqualTo(Refusal.NO_WORK_ORDER);
    }

    // policy violation

    private Event malformedMetering(KeyPair signer) {
        Event m = s.metering(JobResult.sha256("out"));
        String content = m.content().replace("\"finished_at\":" + (T0 + 40), "\"finished_at\":" + (T0 + 1));
        return EventSigner.sign(new UnsignedEvent(m.createdAt(), m.kind(), m.tags(), content), signer);
    }

    @Test
    void aMalformedPublicEventSignedByTheAccusedIsProven() {
        Event bad = malformedMetering(s.node);
        assertThat(verify(s.claim(s.router, POLICY_VIOLATION, late, bad), bad).valid()).isTrue();
    }

    @Test
    void wellFormedOrSomeoneElsesEventsAreNoViolation() {
        Event fine = s.metering(JobResult.sha256("out"));
        Event manifest = s.manifest(500); // expired by claim time, but read at its own time it is fine
        assertThat(refusal(verify(s.claim(s.router, POLICY_VIOLATION, late, fine, manifest), fine, manifest)))
                .isEqualTo(Refusal.NO_VIOLATION);
        Event others = malformedMetering(KeyPair.generate());
        assertThat(refusal(verify(s.claim(s.router, POLICY_VIOLATION, late, others), others)))
                .isEqualTo(Refusal.NO_VIOLATION);
    }

    @Test
    void sealedKindsCannotBeJudgedOnForm() {
        Event r = s.result("out", T0 + 40);
        List<List<String>> tags = new ArrayList<>(r.tags());
        tags.removeIf(t -> t.get(0).equals("x"));
        Event noHash = EventSigner.sign(new UnsignedEvent(r.createdAt(), r.kind(), tags, r.content()), s.node);
        assertThat(refusal(verify(s.claim(s.router, POLICY_VIOLATION, late, noHash), noHash)))
                .isEqualTo(Refusal.NO_VIOLATION);
    }
}
