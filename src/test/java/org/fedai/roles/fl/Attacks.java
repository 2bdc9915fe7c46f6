package org.fedai.roles.fl;

import java.util.Locale;

/**
 * Full nodes that misbehave, for the tests of the aggregator's defences: the fault lives here, test-side, wrapping
 * the {@link Contribution} seam; production has only {@link Contribution#HONEST}.
 */
public enum Attacks implements Contribution {
    /** Sends the negated update (a sign-flipping poisoner). */
    SIGNFLIP {
        @Override
        public double[] update(double[] trained) {
            double[] out = trained.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] = -out[i];
            }
            return out;
        }
    },
    /** Sends a NaN, which the aggregator must refuse rather than average. */
    NAN {
        @Override
        public double[] update(double[] trained) {
            double[] out = trained.clone();
            out[0] = Double.NaN;
            return out;
        }
    },
    /** Sends fifty times its update, far over the task's clipping bound. */
    UNCLIPPED {
        @Override
        public double[] update(double[] trained) {
            double[] out = trained.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] *= 50;
            }
            return out;
        }
    },
    /** Secure aggregation: gone after sharing its keys, the dropout that recovery exists for. */
    VANISH {
        @Override
        public boolean staysAfterSharingKeys() {
            return false;
        }
    };

    /** {@code none} (honest) or an attack's name in lower case. */
    public static Contribution named(String name) {
        return name.equals("none") ? Contribution.HONEST : valueOf(name.toUpperCase(Locale.ROOT));
    }
}
