package org.fedai.fl.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.fedai.fl.data.Dataset;
import org.fedai.fl.data.MnistFixture;
import org.fedai.fl.data.MnistLoader;
import org.fedai.fl.data.Partition;
import org.junit.jupiter.api.Test;

/** Behaviour, not numerics: on a small real MNIST subset, a few epochs of SGD must lift test accuracy far above chance. */
class ModelLearnsTest {

    private static Partition small() {
        Dataset all = MnistFixture.mnist();
        return Partition.iid(all, 1, 8_000, 11); // 8000 held out, ~2000 to train on
    }

    @Test
    void logisticRegressionLearnsDigits() {
        Partition p = small();
        Dataset test = p.test().select(java.util.stream.IntStream.range(0, 1000).toArray());
        Model m = new LogisticRegression(MnistLoader.PIXELS, MnistLoader.CLASSES);
        assertThat(LocalTrainer.accuracy(m, test)).isLessThan(0.2);
        LocalTrainer.trainInPlace(m, p.clients().getFirst(), new TrainingConfig(3, 32, 0.1, 1), new Random(1));
        assertThat(LocalTrainer.accuracy(m, test)).isGreaterThan(0.8);
    }

    @Test
    void mlpLearnsDigits() {
        Partition p = small();
        Dataset test = p.test().select(java.util.stream.IntStream.range(0, 1000).toArray());
        Model m = Mlp.initialised(MnistLoader.PIXELS, 32, MnistLoader.CLASSES, 5);
        double before = LocalTrainer.accuracy(m, test);
        LocalTrainer.trainInPlace(m, p.clients().getFirst(), new TrainingConfig(3, 32, 0.1, 1), new Random(2));
        double after = LocalTrainer.accuracy(m, test);
        assertThat(before).isLessThan(0.3);
        assertThat(after).isGreaterThan(0.8);
    }

    @Test
    void localUpdateIsClippedToTheNormBound() {
        Partition p = small();
        Model m = new LogisticRegression(MnistLoader.PIXELS, MnistLoader.CLASSES);
        LocalTrainer.LocalUpdate u = LocalTrainer.train(m, p.clients().getFirst(), new TrainingConfig(1, 32, 0.5, 0.25), new Random(3));
        assertThat(u.rawNorm()).isGreaterThan(0.25);
        assertThat(Vectors.norm(u.delta())).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(u.samples()).isEqualTo(p.clients().getFirst().size());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Mlp m = Mlp.initialised(6, 4, 3, 9);
        float[][] x = {{0.1f, 0.9f, 0.3f, 0f, 1f, 0.5f}, {1f, 0.2f, 0f, 0.7f, 0.3f, 0.1f}};
        int[] y = {2, 0};
        int[] order = {0, 1};
        double[] g = new double[m.parameterCount()];
        m.accumulateGradient(x, y, order, 0, 2, g);
        double[] p = m.parameters();
        for (int i = 0; i < p.length; i += 3) {
            double h = 1e-6;
            double[] plus = p.clone();
            plus[i] += h;
            double[] minus = p.clone();
            minus[i] -= h;
            m.setParameters(plus);
            double lp = m.accumulateGradient(x, y, order, 0, 2, new double[p.length]);
            m.setParameters(minus);
            double lm = m.accumulateGradient(x, y, order, 0, 2, new double[p.length]);
            assertThat(g[i]).as("parameter %d", i).isCloseTo((lp - lm) / (2 * h), org.assertj.core.data.Offset.offset(1e-5));
        }
    }
}
