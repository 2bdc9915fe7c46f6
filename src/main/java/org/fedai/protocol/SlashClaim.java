package org.fedai.protocol;

import java.util.List;
import java.util.Locale;

/**
 * A slash claim (kind 4409, event-kinds/4409-slash-claim.md): the signer accuses {@code accused} of an
 * objective failure and names the signed events that prove it. {@code job} is the spec id for the job-bound
 * reasons, {@code benchmark} the manifest key for {@code misrepresentation}; both are empty otherwise.
 * {@code conversationKey} (hex, {@code tampering} only, else empty) is the client-node NIP-44 conversation key,
 * revealed so that anyone can open the node's sealed result and compare it with its public hash.
 */
public record SlashClaim(String accused, Reason reason, List<String> evidence, String job, String benchmark,
        String detail, String conversationKey) {

    public SlashClaim {
        evidence = List.copyOf(evidence);
    }

    public SlashClaim(String accused, Reason reason, List<String> evidence, String job, String benchmark,
            String detail) {
        this(accused, reason, evidence, job, benchmark, detail, "");
    }

    public enum Reason {
        NON_DELIVERY(true), TAMPERING(true), MISREPRESENTATION(false), REFUSED_ACCEPTED_JOB(true),
        POLICY_VIOLATION(false);

        private final boolean jobBound;

        Reason(boolean jobBound) {
            this.jobBound = jobBound;
        }

        /** Whether the claim must name the job ({@code job} in the content). */
        public boolean jobBound() {
            return jobBound;
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
