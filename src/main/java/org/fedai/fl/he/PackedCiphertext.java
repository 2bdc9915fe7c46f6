package org.fedai.fl.he;

import java.math.BigInteger;
import java.util.List;

/** One participant's update for one round: the packed, quantized vector as Paillier ciphertexts, block by block. */
public record PackedCiphertext(int round, List<BigInteger> blocks) {

    public PackedCiphertext {
        blocks = List.copyOf(blocks);
    }

    /** Bytes on the wire at the key's fixed ciphertext width. */
    public long bytes(PaillierPublicKey key) {
        return (long) blocks.size() * key.ciphertextBytes();
    }
}
