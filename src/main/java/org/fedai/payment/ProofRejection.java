package org.fedai.payment;

/** Why a payment proof was refused: one value per rule of {@link PaymentProofVerifier}. */
public enum ProofRejection {
    /** The preimage is not 32 bytes. */
    MALFORMED_PREIMAGE,
    /** The invoice does not decode (see the detail for the BOLT #11 rule). */
    MALFORMED_INVOICE,
    /** The invoice is for another chain. */
    WRONG_NETWORK,
    /** The invoice names no amount: a proof must prove a price. */
    NO_AMOUNT,
    /** The invoice amount is not the expected one. */
    WRONG_AMOUNT,
    /** The invoice does not commit to the expected job. */
    WRONG_DESCRIPTION_HASH,
    /** SHA-256 of the preimage is not the invoice's payment hash. */
    PREIMAGE_MISMATCH,
    /** The proof arrived after the invoice's expiry plus the grace. */
    EXPIRED,
    /** The signature is invalid or not recoverable. */
    BAD_SIGNATURE,
    /** The invoice is validly signed, but by another node than the one declared. */
    WRONG_PAYEE,
    /** This payment hash was already accepted as proof once. */
    ALREADY_SPENT,
    /** The spent-hash registry could not record the proof, so it cannot be accepted. */
    REGISTRY_UNAVAILABLE
}
