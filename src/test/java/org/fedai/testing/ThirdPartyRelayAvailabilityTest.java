package org.fedai.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** How {@link ThirdPartyRelay} decides whether it can run, and what a test sees when it cannot. Needs no Node. */
@ProcessTest
class ThirdPartyRelayAvailabilityTest {

    @Test
    void reportsMissingInstallWithTheFixToRun(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("relay.mjs"), "// not installed");
        ThirdPartyRelay.Availability availability = ThirdPartyRelay.availability(dir);
        assertThat(availability.available()).isFalse();
        assertThat(availability.reason()).contains("node_modules").contains("test-relays/install.sh");
    }

    @Test
    void missingInstallSkipsLocallyButFailsUnderCi(@TempDir Path dir) {
        ThirdPartyRelay.Availability missing = ThirdPartyRelay.availability(dir);
        assertThat(missing.available()).isFalse();

        assertThatThrownBy(() -> ThirdPartyRelay.assumeAvailable(missing, false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining(missing.reason());
        assertThatThrownBy(() -> ThirdPartyRelay.assumeAvailable(missing, true))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true");
    }

    @Test
    void findsTheProjectRootFromASubdirectory() {
        Path here = Path.of(System.getProperty("user.dir"));
        assertThat(ThirdPartyRelay.projectRoot(here.resolve("src/test/java"))).hasValueSatisfying(
                root -> assertThat(root.resolve("test-relays/relay.mjs")).isRegularFile());
    }
}
