package org.fedai.fl.data;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** MNIST for tests: never downloaded by a test. Absent data fails under CI=true and is a visible skip elsewhere. */
public final class MnistFixture {

    private static Dataset cached;

    private MnistFixture() {
    }

    public static synchronized Dataset mnist() {
        if (!MnistLoader.isInstalled(MnistLoader.defaultRoot())) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(MnistLoader.FETCH_HINT);
            }
            Assumptions.abort("SKIPPED: " + MnistLoader.FETCH_HINT);
        }
        if (cached == null) {
            cached = MnistLoader.load(MnistLoader.defaultRoot());
        }
        return cached;
    }
}
