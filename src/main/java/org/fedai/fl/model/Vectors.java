package org.fedai.fl.model;

/** The few vector operations a round needs on flat parameter vectors; all in place or fresh, never shared. */
public final class Vectors {

    private Vectors() {
    }

    public static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Scales v in place so its L2 norm is at most bound; returns the norm before clipping. */
    public static double clipInPlace(double[] v, double bound) {
        double n = norm(v);
        if (n > bound && n > 0) {
            double f = bound / n;
            for (int i = 0; i < v.length; i++) {
                v[i] *= f;
            }
        }
        return n;
    }

    public static double[] subtract(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] - b[i];
        }
        return r;
    }

    public static void addScaledInPlace(double[] target, double[] v, double scale) {
        for (int i = 0; i < target.length; i++) {
            target[i] += scale * v[i];
        }
    }

    public static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** True when every entry is a finite number (no NaN, no infinity). */
    public static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
