package org.fedai.fl.sim;

import java.util.Locale;
import java.util.Random;

/**
 * Model-poisoning behaviours of the simulator's attackers. Attackers control their own client, so
 * they skip client-side clipping; the defences that remain are server-side (norm bounds, robust rules).
 */
public enum Attack {
    /** Honest. */
    NONE,
    /** Sends -BOOST times its honest update: pushes the model uphill on the loss. */
    SIGNFLIP,
    /** Trains honestly on labels mapped l -> 9 - l (data poisoning; the update itself is well formed). */
    LABELFLIP,
    /** Sends BOOST times its honest update (the boosting step of model-replacement attacks). */
    SCALING,
    /** Sends N(0, SIGMA^2) noise in every coordinate instead of an update. */
    GAUSSIAN;

    public static final double BOOST = 10;
    public static final double SIGMA = 1.0;

    public static Attack parse(String s) {
        for (Attack a : values()) {
            if (a.label().equalsIgnoreCase(s.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown attack '" + s + "', expected none|signflip|labelflip|scaling|gaussian");
    }

    public boolean poisonsData() {
        return this == LABELFLIP;
    }

    /** The update an attacker sends instead of its (unclipped) honest one. */
    public double[] apply(double[] honest, Random random) {
        double[] out = honest.clone();
        switch (this) {
            case NONE, LABELFLIP -> {
            }
            case SIGNFLIP -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = -BOOST * out[i];
                }
            }
            case SCALING -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = BOOST * out[i];
                }
            }
            case GAUSSIAN -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = random.nextGaussian() * SIGMA;
                }
            }
        }
        return out;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
