package org.fedai.fl.secagg;

import java.util.List;
import java.util.Map;
import org.fedai.fl.secagg.Shamir.Share;

/**
 * The messages of one SecAgg+ instance, in protocol order. Each is what will later travel as a
 * federation event (enrollment, key share, masked update chunk, unmask request/response); the
 * in-process simulator passes them by value through a {@link org.fedai.fl.sim.RoundTransport}.
 */
public sealed interface SecAggMessage {

    int round();

    /** Round 0: a participant's fresh per-round public keys (never its Nostr identity). */
    record EnrollmentKeys(int round, String participant, byte[] cipherPublicKey, byte[] maskPublicKey)
            implements SecAggMessage {
    }

    /** Round 1: Shamir shares of the sender's self-mask seed and mask key, AES-GCM encrypted to one neighbour. */
    record EncryptedShare(int round, String from, String to, byte[] nonce, byte[] ciphertext) implements SecAggMessage {
    }

    /** Round 2: the quantized update plus self mask plus pairwise masks, mod 2^32. */
    record MaskedUpdate(int round, String from, int[] masked) implements SecAggMessage {
    }

    /** Round 3 request: who sent masked updates (reveal their self-mask shares) and who dropped (reveal mask-key shares). */
    record UnmaskRequest(int round, List<String> survivors, List<String> dropped) implements SecAggMessage {
    }

    /** Round 3 answer: for each owner, exactly one kind of share, never both. */
    record UnmaskResponse(int round, String from, Map<String, Share> selfMaskShares, Map<String, Share> maskKeyShares)
            implements SecAggMessage {
    }
}
