package org.fedai.payment;

/** Why a BOLT #11 invoice was refused: machine-readable, one value per rule of the reader requirements. */
public enum Bolt11Error {
    /** Not bech32 (bad checksum, mixed case, no separator, bech32m...). */
    BAD_BECH32,
    /** The human-readable part does not start with a known {@code ln} currency prefix. */
    UNKNOWN_PREFIX,
    /** The amount has non-digits, a leading zero, an unknown multiplier or overflows. */
    BAD_AMOUNT,
    /** A {@code p} amount whose last digit is not 0: it would be a fraction of a millisatoshi. */
    SUB_MILLISATOSHI_AMOUNT,
    /** Fewer 5-bit words than a timestamp and a signature. */
    TOO_SHORT,
    /** A tagged field's length runs past the end of the data. */
    FIELD_OVERRUN,
    /** A known field whose content cannot be read (an integer too wide for 64 bits, invalid UTF-8). */
    BAD_FIELD,
    /** No {@code p} field of the right length. */
    MISSING_PAYMENT_HASH,
    /** Neither a {@code d} nor an {@code h} field. */
    MISSING_DESCRIPTION,
    /** A feature bit that is even (compulsory) and not known to this reader. */
    UNKNOWN_REQUIRED_FEATURE,
    /** Recovery id out of range, signature not recoverable, or not valid for the {@code n} field's key. */
    BAD_SIGNATURE
}
