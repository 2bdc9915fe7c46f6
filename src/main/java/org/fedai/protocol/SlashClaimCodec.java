package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;
import org.fedai.nostr.UnsignedEvent;

/**
 * Kind 4409 codec: {@link SlashClaim} <-> event. Pure; it checks the claim's form only. Whether the evidence
 * proves the reason is {@code org.fedai.roles.trust.SlashClaimVerifier}'s question.
 */
public final class SlashClaimCodec {

    public static final int MAX_EVIDENCE = 32;
    public static final int MAX_DETAIL_CHARS = 1024;

    private SlashClaimCodec() {
    }

    public static UnsignedEvent encode(SlashClaim c, long createdAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("p", c.accused()));
        tags.add(1, List.of("reason", c.reason().code()));
        for (int i = 0; i < c.evidence().size(); i++) {
            tags.add(2 + i, List.of("e", c.evidence().get(i)));
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        if (!c.job().isEmpty()) {
            root.put("job", c.job());
        }
        if (!c.benchmark().isEmpty()) {
            root.put("benchmark", c.benchmark());
        }
        root.put("detail", c.detail());
        if (!c.conversationKey().isEmpty()) {
            root.put("conversation_key", c.conversationKey());
        }
        tags.add(MarketLifetimes.expiration(createdAt, MarketLifetimes.CLAIM));
        return new UnsignedEvent(createdAt, FedaiKind.SLASH_CLAIM.number(), tags, root.toString());
    }

    public static Decoded<SlashClaim> decode(Event event) {
        try {
            CommonTags.check(event, FedaiKind.SLASH_CLAIM);
            String accused = CommonTags.required(event, "p");
            if (!Hex.isLowerHex(accused, 32)) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, "p must be a pubkey");
            }
            if (accused.equals(event.pubkey())) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "a key cannot accuse itself");
            }
            SlashClaim.Reason reason;
            try {
                reason = JsonFields.enumValue(SlashClaim.Reason.class, CommonTags.required(event, "reason"), "reason");
            } catch (InvalidContentException e) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, e.getMessage());
            }
            Set<String> evidence = new LinkedHashSet<>(event.tagValues("e"));
            if (evidence.isEmpty()) {
                throw new InvalidContentException(Rejection.Reason.MISSING_TAG, "no e tag: a claim needs evidence");
            }
            if (evidence.size() > MAX_EVIDENCE) {
                throw new InvalidContentException(Rejection.Reason.TOO_LARGE, "over " + MAX_EVIDENCE + " evidence ids");
            }
            if (!evidence.stream().allMatch(id -> Hex.isLowerHex(id, 32))) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, "e must be event ids");
            }
            JsonNode root = JsonFields.parseObject(event.content());
            String job = "";
            if (reason.jobBound()) {
                job = JsonFields.hex32(root, "job");
            }
            String benchmark = "";
            if (reason == SlashClaim.Reason.MISREPRESENTATION) {
                benchmark = JsonFields.text(root, "benchmark");
            }
            String detail = root.path("detail").asText("");
            if (detail.length() > MAX_DETAIL_CHARS) {
                throw new InvalidContentException(Rejection.Reason.TOO_LARGE, "detail over " + MAX_DETAIL_CHARS);
            }
            String conversationKey = "";
            if (root.has("conversation_key")) {
                if (reason != SlashClaim.Reason.TAMPERING) {
                    throw new InvalidContentException(Rejection.Reason.INCONSISTENT,
                            "conversation_key belongs only to a tampering claim");
                }
                conversationKey = JsonFields.hex32(root, "conversation_key");
            }
            return Decoded.accepted(new SlashClaim(accused, reason, List.copyOf(evidence), job, benchmark, detail,
                    conversationKey));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }
}
