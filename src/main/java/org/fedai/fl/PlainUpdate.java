package org.fedai.fl;

/** An unmasked client update (plain mode, or a validator's view): the message a full node sends when privacy mode is off. */
public record PlainUpdate(int round, String from, double[] delta, int samples) {
}
