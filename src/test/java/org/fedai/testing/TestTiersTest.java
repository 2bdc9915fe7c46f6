package org.fedai.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the fast tier fast (README, "Tests"): a test class that starts a relay, a pool or a market fixture carries
 * {@link RelayTest}, one that starts processes or the npm relay {@link ProcessTest}, so that
 * {@code -DexcludedGroups=relay,processes} leaves them out.
 */
class TestTiersTest {

    private static final Pattern TEST = Pattern.compile("@(Test|Property|ParameterizedTest|RepeatedTest)\\b");
    private static final Pattern STARTS_PROCESSES = Pattern.compile(
            "\\b(ThirdPartyRelay|RoleProcess|MarketProcesses|ProcessBuilder)\\b");
    private static final Pattern STARTS_RELAYS = Pattern.compile(
            "\\b(EmbeddedRelay|RelayPool|TestMarket|MarketFixture|FlowMarket|LiveMarket|NodeRoleFixture|FreeMarket|MarketDemo)\\b");

    @Test
    void everyTestThatStartsARelayOrAProcessIsTaggedSo() throws IOException {
        List<String> untagged;
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            untagged = files.filter(f -> f.toString().endsWith(".java")).filter(TestTiersTest::misses).map(Path::toString)
                    .toList();
        }
        assertThat(untagged).as("tag these @RelayTest or @ProcessTest (org.fedai.testing)").isEmpty();
    }

    private static boolean misses(Path file) {
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (!TEST.matcher(source).find() || file.endsWith("TestTiersTest.java")) {
            return false;
        }
        if (STARTS_PROCESSES.matcher(source).find()) {
            return !source.contains("@ProcessTest");
        }
        return STARTS_RELAYS.matcher(source).find() && !source.contains("@RelayTest") && !source.contains("@ProcessTest");
    }
}
