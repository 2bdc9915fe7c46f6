package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --log-level} is taken off the command line before picocli sees it, and sets the logger's level. */
class LogLevelTest {

    private final String before = System.getProperty(LogLevel.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(LogLevel.PROPERTY);
        } else {
            System.setProperty(LogLevel.PROPERTY, before);
        }
    }

    @Test
    void theOptionIsTakenOffAnywhereOnTheLineAndSetsTheLevel() {
        assertThat(LogLevel.apply(new String[] {"router", "--log-level", "info", "--relay", "ws://x"}))
                .containsExactly("router", "--relay", "ws://x");
        assertThat(System.getProperty(LogLevel.PROPERTY)).isEqualTo("info");
        assertThat(LogLevel.apply(new String[] {"--log-level=DEBUG", "node"})).containsExactly("node");
        assertThat(System.getProperty(LogLevel.PROPERTY)).isEqualTo("debug");
    }

    @Test
    void theDemoLogsOnlyErrorsUnlessToldOtherwiseSoNoWarningCutsIntoItsTables() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("FEDAI_LOG_LEVEL") == null);
        System.clearProperty(LogLevel.PROPERTY);
        LogLevel.apply(new String[] {"demo", "--adversarial"});
        assertThat(System.getProperty(LogLevel.PROPERTY)).isEqualTo("error");
        LogLevel.apply(new String[] {"demo", "--log-level", "warn"});
        assertThat(System.getProperty(LogLevel.PROPERTY)).isEqualTo("warn");
    }

    @Test
    void anUnknownLevelIsOneLineOfUsage() {
        assertThatThrownBy(() -> LogLevel.apply(new String[] {"--log-level", "loud"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--log-level loud: one of trace, debug, info, warn, error, off");
    }

    @Test
    void statsLinesListNonZeroCountersSorted() {
        assertThat(StatsLine.of("node", Map.of("refused.4401:duplicate", 2L, "jobs.done", 5L, "jobs.failed", 0L)))
                .isEqualTo("stats node jobs.done=5 refused.4401:duplicate=2");
        assertThat(StatsLine.of("wallet", Map.of("answered", 0L))).isEqualTo("stats wallet (nothing counted yet)");
    }
}
