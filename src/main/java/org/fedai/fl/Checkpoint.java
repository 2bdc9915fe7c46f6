package org.fedai.fl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

/**
 * The aggregate model after a round, committed by the SHA-256 of its parameters as little-endian
 * IEEE-754 doubles: what the aggregator will publish (chunked) and participants verify.
 */
public record Checkpoint(int round, double[] parameters, String sha256) {

    public static Checkpoint of(int round, double[] parameters) {
        return new Checkpoint(round, parameters.clone(), hash(parameters));
    }

    public static String hash(double[] parameters) {
        ByteBuffer b = ByteBuffer.allocate(parameters.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double p : parameters) {
            b.putDouble(p);
        }
        return Hex.encode(Sha256.hash(b.array()));
    }

    /** True when the parameters are the ones the hash commits to. */
    public boolean verifies() {
        return hash(parameters).equals(sha256);
    }
}
