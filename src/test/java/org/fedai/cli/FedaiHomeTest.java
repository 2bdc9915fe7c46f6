package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fedai's folder for keys and databases: made for its owner only, and a key file never makes folders. */
class FedaiHomeTest {

    @TempDir
    Path dir;

    private final Path before = FedaiHome.dir();

    @AfterEach
    void restore() {
        FedaiHome.apply(new String[] {"--home", before.toString()});
    }

    @Test
    void theHomeFolderIsCreatedForItsOwnerOnlyAndTheOptionLeavesTheArguments() throws Exception {
        Path home = dir.resolve("nested").resolve("home");
        String[] rest = FedaiHome.apply(new String[] {"--home", home.toString(), "router", "--relay", "ws://x"});

        assertThat(rest).containsExactly("router", "--relay", "ws://x");
        assertThat(FedaiHome.file("router.key")).isEqualTo(home.toAbsolutePath().resolve("router.key"));
        assertThat(Files.getPosixFilePermissions(home)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aKeyFileInAFolderThatDoesNotExistIsRefusedAndNothingIsCreated() {
        Path missing = dir.resolve("no").resolve("such").resolve("router.key");

        CliRun run = CliRun.run("", "router", "--relay", "ws://127.0.0.1:1", "--key-file", missing.toString(),
                "--db", dir.resolve("router.db").toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("fedai router: --key-file " + missing + ": no such folder "
                + missing.getParent());
        assertThat(dir.resolve("no")).doesNotExist();
    }

    @Test
    void aKeyFileIsCreatedReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("node.key");
        KeyFiles.writeSecret(file, "nsec1example");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
}
