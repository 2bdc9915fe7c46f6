package org.fedai.fl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistLoaderTest {

    @Test
    void loadsAllTenDigitsOfThePackage() {
        Dataset all = MnistFixture.mnist();
        assertThat(all.size()).isBetween(9_900, 10_100);
        int[] counts = all.labelCounts(MnistLoader.CLASSES);
        for (int c : counts) {
            assertThat(c).isBetween(800, 1_200);
        }
        assertThat(all.x()[0]).hasSize(MnistLoader.PIXELS);
    }

    @Test
    void missingInstallNamesTheFetchScript(@TempDir Path empty) {
        assertThat(MnistLoader.isInstalled(empty)).isFalse();
        assertThatThrownBy(() -> MnistLoader.load(empty)).hasMessageContaining("scripts/fetch-mnist.sh");
    }

    @Test
    void readsConcatenatedImagesAndDropsATrailingPartialOne(@TempDir Path dir) throws Exception {
        StringBuilder json = new StringBuilder("{\"data\":[");
        for (int i = 0; i < 2 * MnistLoader.PIXELS + 5; i++) {
            json.append(i == 0 ? "" : ",").append(i < MnistLoader.PIXELS ? "0" : "0.5");
        }
        json.append("]}");
        Path f = dir.resolve("3.json");
        Files.writeString(f, json);
        List<float[]> images = MnistLoader.readDigitFile(f);
        assertThat(images).hasSize(2);
        assertThat(images.get(1)[0]).isEqualTo(0.5f);
    }

    @Test
    void refusesPixelsOutsideTheUnitInterval(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("1.json");
        Files.writeString(f, "{\"data\":[0, 2.5]}");
        assertThatThrownBy(() -> MnistLoader.readDigitFile(f)).hasMessageContaining("outside [0,1]");
    }

    @Test
    void nonIidSplitGivesMostClientsTwoDigits() {
        Partition p = Partition.twoShardsPerClient(MnistFixture.mnist(), 20, 2000, 3);
        assertThat(p.test().size()).isEqualTo(2000);
        long fewLabels = p.clients().stream()
                .filter(d -> java.util.Arrays.stream(d.labelCounts(10)).filter(c -> c > 0).count() <= 3).count();
        assertThat(fewLabels).isGreaterThanOrEqualTo(18);
        Partition iid = Partition.iid(MnistFixture.mnist(), 20, 2000, 3);
        assertThat(iid.clients()).allSatisfy(d -> assertThat(java.util.Arrays.stream(d.labelCounts(10)).filter(c -> c > 0).count()).isEqualTo(10));
    }
}
