package org.fedai.nostr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NIP-13 proof of work (https://github.com/nostr-protocol/nips/blob/master/13.md): the difficulty
 * of an event is the number of leading zero bits of its id; the author commits to a target in
 * {@code ["nonce", "<counter>", "<target>"]} so that a lucky low-effort event cannot pass as work
 * done for a higher target.
 */
public final class Nip13 {

    public static final String TAG = "nonce";

    /** The outcome of checking an event against a required difficulty. */
    public enum Check {
        OK("ok"),
        INSUFFICIENT_WORK("pow: difficulty of id is below the required target"),
        TARGET_TOO_LOW("pow: committed target is below the required target"),
        MALFORMED_NONCE_TAG("pow: nonce tag target is not a non-negative integer");

        private final String reason;

        Check(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private Nip13() {
    }

    /** Leading zero bits of a hex id (any length); a non-hex character ends the count. */
    public static int leadingZeroBits(String idHex) {
        int bits = 0;
        for (int i = 0; i < idHex.length(); i++) {
            int nibble = Character.digit(idHex.charAt(i), 16);
            if (nibble < 0) {
                return bits;
            }
            if (nibble == 0) {
                bits += 4;
                continue;
            }
            return bits + Integer.numberOfLeadingZeros(nibble) - 28;
        }
        return bits;
    }

    public static int difficulty(Event event) {
        return leadingZeroBits(event.id());
    }

    /**
     * The committed target: empty when there is no nonce tag or it has no third element.
     *
     * @throws IllegalArgumentException when the target is present but not a non-negative integer
     */
    public static Optional<Integer> committedTarget(Event event) {
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 3 && tag.get(0).equals(TAG)) {
                try {
                    int target = Integer.parseInt(tag.get(2));
                    if (target < 0) {
                        throw new IllegalArgumentException("nonce target is negative");
                    }
                    return Optional.of(target);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("nonce target is not an integer: " + tag.get(2), e);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Checks an event's work against {@code required} bits: the id must have at least that many
     * leading zeros and, when the author committed to a target, the target must reach it too.
     * Does not verify the id or signature: pair it with {@link EventVerifier}.
     */
    public static Check check(Event event, int required) {
        Optional<Integer> target;
        try {
            target = committedTarget(event);
        } catch (IllegalArgumentException e) {
            return Check.MALFORMED_NONCE_TAG;
        }
        if (target.isPresent() && target.get() < required) {
            return Check.TARGET_TOO_LOW;
        }
        return difficulty(event) >= required ? Check.OK : Check.INSUFFICIENT_WORK;
    }

    /**
     * Mines: replaces any nonce tag with {@code ["nonce", n, target]} and counts n up until the id
     * of the event, as {@code pubkey} would sign it, has {@code target} leading zero bits.
     * Expected cost is 2^target hashes; the caller bounds the target.
     */
    public static UnsignedEvent mine(UnsignedEvent unsigned, String pubkey, int target) {
        if (target < 0 || target > 256) {
            throw new IllegalArgumentException("target must be 0..256 bits, got " + target);
        }
        List<List<String>> tags = new ArrayList<>();
        for (List<String> tag : unsigned.tags()) {
            if (tag.isEmpty() || !tag.get(0).equals(TAG)) {
                tags.add(tag);
            }
        }
        int nonceIndex = tags.size();
        String targetText = Integer.toString(target);
        tags.add(List.of(TAG, "0", targetText));
        for (long n = 0; ; n++) {
            tags.set(nonceIndex, List.of(TAG, Long.toString(n), targetText));
            byte[] id = EventSigner.idBytes(pubkey, unsigned.createdAt(), unsigned.kind(), tags, unsigned.content());
            if (leadingZeroBits(id) >= target) {
                return new UnsignedEvent(unsigned.createdAt(), unsigned.kind(), tags, unsigned.content());
            }
        }
    }

    static int leadingZeroBits(byte[] id) {
        int bits = 0;
        for (byte b : id) {
            if (b == 0) {
                bits += 8;
                continue;
            }
            return bits + Integer.numberOfLeadingZeros(b & 0xFF) - 24;
        }
        return bits;
    }
}
