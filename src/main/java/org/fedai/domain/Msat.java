package org.fedai.domain;

/** An amount in millisatoshis, as BOLT11 and NIP-47 count it; never negative. */
public record Msat(long value) implements Comparable<Msat> {

    public static final Msat ZERO = new Msat(0);

    public Msat {
        if (value < 0) {
            throw new IllegalArgumentException("an amount must not be negative: " + value + " msat");
        }
    }

    public static Msat of(long value) {
        return new Msat(value);
    }

    public Msat plus(Msat other) {
        return new Msat(Math.addExact(value, other.value));
    }

    public boolean isZero() {
        return value == 0;
    }

    @Override
    public int compareTo(Msat other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return value + " msat";
    }
}
