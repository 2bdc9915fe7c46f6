package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlitePaymentHashRegistryTest {

    @TempDir
    Path dir;

    private static byte[] hash(int seed) {
        byte[] h = new byte[32];
        h[0] = (byte) seed;
        h[31] = (byte) (seed >> 8);
        return h;
    }

    @Test
    void aHashIsSpentOnceAndStaysSpentAcrossReopening() {
        Path file = dir.resolve("spent.db");
        try (SqlitePaymentHashRegistry registry = SqlitePaymentHashRegistry.open(file)) {
            assertThat(registry.isSpent(hash(1))).isFalse();
            assertThat(registry.markSpent(hash(1), 100, "job-1")).isTrue();
            assertThat(registry.markSpent(hash(1), 101, "job-2")).isFalse();
            assertThat(registry.markSpent(hash(2), 102, null)).isTrue();
        }
        try (SqlitePaymentHashRegistry reopened = SqlitePaymentHashRegistry.open(file)) {
            assertThat(reopened.isSpent(hash(1))).isTrue();
            assertThat(reopened.isSpent(hash(2))).isTrue();
            assertThat(reopened.isSpent(hash(3))).isFalse();
            assertThat(reopened.markSpent(hash(1), 200, "job-3")).isFalse();
        }
    }

    @Test
    void aHashOfTheWrongSizeIsAProgrammingError() {
        try (SqlitePaymentHashRegistry registry = SqlitePaymentHashRegistry.inMemory()) {
            assertThatThrownBy(() -> registry.markSpent(new byte[31], 1, "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> registry.isSpent(null)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
