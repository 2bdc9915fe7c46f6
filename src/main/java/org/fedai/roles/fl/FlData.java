package org.fedai.roles.fl;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.data.MnistLoader;
import org.fedai.fl.model.LogisticRegression;
import org.fedai.fl.model.Mlp;
import org.fedai.fl.model.Model;

/**
 * How the separate processes of a demo federation cut one MNIST copy without talking: the same seeded
 * shuffle, then the aggregator's test set, the validator's clean root set, and the rest dealt into shards
 * (full and light nodes each take one). Also the model an architecture name stands for, and the wire form of
 * a light node's samples.
 *
 * @param seed     shuffle seed every process shares
 * @param testSize held-out samples the aggregator evaluates on
 * @param rootSize the validator's root set, disjoint from every shard
 */
public record FlData(long seed, int testSize, int rootSize) {

    static final FlData DEFAULT = new FlData(1, 1000, 200);
    private static final Pattern ARCHITECTURE = Pattern.compile("(logreg)-(\\d+)-(\\d+)|(mlp)-(\\d+)-(\\d+)-(\\d+)");
    /** One sample on the wire: its label, then one grey level per pixel. */
    static final int SAMPLE_BYTES = 1 + MnistLoader.PIXELS;

    public Dataset test(Dataset all) {
        return all.select(Arrays.copyOfRange(order(all), 0, testSize));
    }

    public Dataset root(Dataset all) {
        return all.select(Arrays.copyOfRange(order(all), testSize, testSize + rootSize));
    }

    /** Shard {@code index} of {@code count} of what is left after the test and root sets. */
    public Dataset shard(Dataset all, int index, int count) {
        int[] order = order(all);
        int start = testSize + rootSize;
        int left = order.length - start;
        int from = start + (int) ((long) left * index / count);
        int to = start + (int) ((long) left * (index + 1) / count);
        return all.select(Arrays.copyOfRange(order, from, to));
    }

    private int[] order(Dataset all) {
        int[] a = new int[all.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        Random r = new Random(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** {@code logreg-784-10} or {@code mlp-784-64-10}; the MLP's initial weights come from the seed. */
    static Optional<Model> model(String architecture, long seed) {
        Matcher m = ARCHITECTURE.matcher(architecture);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(1) != null) {
            return Optional.of(new LogisticRegression(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        }
        return Optional.of(Mlp.initialised(Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
                Integer.parseInt(m.group(7)), seed));
    }

    /** A light node's preprocessing: pixels quantized to bytes (what leaves its machine), label first. */
    static byte[] encodeSamples(Dataset d) {
        ByteBuffer b = ByteBuffer.allocate(d.size() * SAMPLE_BYTES);
        for (int i = 0; i < d.size(); i++) {
            b.put((byte) d.y()[i]);
            for (float p : d.x()[i]) {
                b.put((byte) Math.round(p * 255));
            }
        }
        return b.array();
    }

    /** Empty when the bytes are not whole samples with labels 0..9. */
    static Optional<Dataset> decodeSamples(byte[] bytes) {
        if (bytes.length == 0 || bytes.length % SAMPLE_BYTES != 0) {
            return Optional.empty();
        }
        int n = bytes.length / SAMPLE_BYTES;
        float[][] x = new float[n][MnistLoader.PIXELS];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int at = i * SAMPLE_BYTES;
            y[i] = bytes[at];
            if (y[i] < 0 || y[i] >= MnistLoader.CLASSES) {
                return Optional.empty();
            }
            for (int p = 0; p < MnistLoader.PIXELS; p++) {
                x[i][p] = (bytes[at + 1 + p] & 0xff) / 255f;
            }
        }
        return Optional.of(new Dataset(x, y));
    }

    static Dataset concat(Dataset a, Dataset b) {
        float[][] x = Arrays.copyOf(a.x(), a.size() + b.size());
        System.arraycopy(b.x(), 0, x, a.size(), b.size());
        int[] y = Arrays.copyOf(a.y(), a.size() + b.size());
        System.arraycopy(b.y(), 0, y, a.size(), b.size());
        return new Dataset(x, y);
    }
}
