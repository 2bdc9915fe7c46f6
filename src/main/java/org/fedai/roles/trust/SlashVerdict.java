package org.fedai.roles.trust;

import java.util.List;
import java.util.Locale;
import org.fedai.protocol.SlashClaim;

/** What {@link SlashClaimVerifier} concluded: the claim is proven, or why it is refused. */
public sealed interface SlashVerdict {

    /**
     * The evidence proves the reason. {@code witnesses} are the keys other than the accused whose signed word
     * the proof also rests on (the claimant's work order, an attester's measurement); empty when the accused's
     * own signatures suffice.
     */
    record Valid(SlashClaim claim, List<String> witnesses) implements SlashVerdict {
        public Valid {
            witnesses = List.copyOf(witnesses);
        }
    }

    record Invalid(Refusal refusal, String detail) implements SlashVerdict {
    }

    default boolean valid() {
        return this instanceof Valid;
    }

    /** Why a claim is refused; {@link #code()} is what `fedai verify-slash` prints and counters use. */
    enum Refusal {
        /** The claim itself fails its id or signature check. */
        CLAIM_FORGED,
        /** The claim is dated more than the allowed skew ahead of the verifier's clock. */
        CLAIM_FROM_FUTURE,
        /** The claim is not a well-formed 4409 ({@code SlashClaimCodec} rejects it). */
        CLAIM_MALFORMED,
        /** An {@code e}-tagged evidence id is not among the events supplied. */
        EVIDENCE_MISSING,
        /** An evidence event fails its id or signature check. */
        EVIDENCE_FORGED,
        /** An evidence event is dated after the claim: it cannot have been its ground. */
        EVIDENCE_AFTER_CLAIM,
        /** No {@code accepted} status signed by the accused for the job, naming the claimant as router. */
        NO_ACCEPTANCE,
        /**
         * No {@code input_received} status signed by the accused for the job (for non-delivery: by the deadline): a
         * node cannot owe what it never received, and only its own word shows it received the input.
         */
        NO_INPUT_RECEIPT,
        /** No work order signed by the claimant to the accused for the job, with a public deadline. */
        NO_WORK_ORDER,
        /** The work order's deadline had not passed when the claim was signed, or preceded the order. */
        DEADLINE_NOT_PASSED,
        /** A result signed by the accused for the job, dated by the deadline, is among the events supplied. */
        RESULT_DELIVERED,
        /** Tampering: no result signed by the accused for the job among the evidence. */
        NO_RESULT,
        /** Tampering: every output hash the accused signed for the job agrees (and opened outputs match it). */
        HASHES_AGREE,
        /** Tampering: the revealed conversation key opens none of the accused's results. */
        KEY_DOES_NOT_OPEN,
        /** Misrepresentation: no manifest of the accused claiming the named benchmark. */
        NO_MANIFEST,
        /** Misrepresentation: no later signed measurement below the claim by the tolerance factor. */
        NOT_CONTRADICTED,
        /** Refusal: no {@code error} status by the accused for the job after the work order. */
        NO_REFUSAL,
        /** Policy violation: no evidence event by the accused that its kind's codec rejects on form. */
        NO_VIOLATION;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
