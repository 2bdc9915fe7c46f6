package org.fedai.protocol;

/**
 * How an atomic pay-for-result 4406 is locked (event-kinds/market-flow.md, "Atomic pay-for-result"): the
 * output is ChaCha20-Poly1305 ciphertext under a key derived from the preimage of {@code paymentHash}, so
 * paying the invoice with that hash is what opens it. {@code nonce} is 12 bytes, hex.
 */
public record ResultLock(String cipher, String paymentHash, String nonce) {

    public static final String CHACHA20_POLY1305 = "chacha20-poly1305";
}
