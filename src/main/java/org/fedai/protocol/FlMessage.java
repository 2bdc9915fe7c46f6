package org.fedai.protocol;

import java.util.List;
import java.util.Map;

/**
 * The federation's round messages (event-kinds/4420..4429), as plain data. Participants are named by an
 * id that the roster binds to the Nostr pubkey that signs for them; keys and ciphertexts travel as hex or
 * base64 text so that the records compare by value.
 */
public sealed interface FlMessage {

    int round();

    /** 4420: fresh per-round x-only public keys for share encryption and pairwise masks, hex. */
    record Enrollment(int round, String participant, String cipherPublicKey, String maskPublicKey)
            implements FlMessage {
    }

    /** 4421: who is in a secure-aggregation group this round, with the keys they enrolled. */
    record Roster(int round, String group, int threshold, List<Member> members) implements FlMessage {
        public Roster {
            members = List.copyOf(members);
        }
    }

    /** A roster entry: the participant, the pubkey that signs for it, and its enrollment keys. */
    record Member(String participant, String pubkey, String cipherPublicKey, String maskPublicKey) {
    }

    /** 4424: one Shamir share bundle, already AES-GCM encrypted to {@code to}, base64. */
    record KeyShare(int round, String from, String to, String nonce, String ciphertext) implements FlMessage {
    }

    /** 4425: survivors reveal self-mask shares of survivors; dropped reveal mask-key shares. */
    record UnmaskRequest(int round, String group, List<String> survivors, List<String> dropped) implements FlMessage {
        public UnmaskRequest {
            survivors = List.copyOf(survivors);
            dropped = List.copyOf(dropped);
        }
    }

    /** A Shamir share: evaluation point and value (hex, big-endian). */
    record Share(int x, String y) {
    }

    /** 4426: per owner exactly one kind of share. */
    record UnmaskResponse(int round, String from, Map<String, Share> selfMaskShares, Map<String, Share> maskKeyShares)
            implements FlMessage {
        public UnmaskResponse {
            selfMaskShares = Map.copyOf(selfMaskShares);
            maskKeyShares = Map.copyOf(maskKeyShares);
        }
    }

    /**
     * 4430: what the aggregator reconstructed to unmask a group's sum (hex, 32 bytes each): survivors'
     * self-mask seeds, dropped participants' mask keys. Published so anyone can recompute the sum.
     */
    record UnmaskReveal(int round, String group, List<String> survivors, List<String> dropped,
                        Map<String, String> selfMaskSeeds, Map<String, String> maskKeys) implements FlMessage {
        public UnmaskReveal {
            survivors = List.copyOf(survivors);
            dropped = List.copyOf(dropped);
            selfMaskSeeds = Map.copyOf(selfMaskSeeds);
            maskKeys = Map.copyOf(maskKeys);
        }
    }

    /** 4427: a validator's signed view of the round's updates (or secure-group sums). */
    record ValidationReport(int round, double clipNorm, List<Score> scores, Map<String, String> excluded)
            implements FlMessage {
        public ValidationReport {
            scores = List.copyOf(scores);
            excluded = Map.copyOf(excluded);
        }
    }

    record Score(String update, double score, double norm, boolean normOk) {
    }

    /** 4429: what a participant contributed to a round and what it earned. */
    record RewardRecord(int round, String participant, double contribution, long amountMsat, String checkpointSha256,
                        String reason) implements FlMessage {
    }
}
