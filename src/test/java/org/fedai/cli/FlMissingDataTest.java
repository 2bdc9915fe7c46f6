package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A federation command pointed at a folder without MNIST says so in one line, not followed by the whole usage. */
class FlMissingDataTest {

    @TempDir
    Path empty;

    @Test
    void simulateWithoutMnistPrintsOneLineNamingTheFetchScriptAndTheFolder() {
        CliRun run = CliRun.run("", "fl", "simulate", "--rounds", "1", "--data", empty.toString());

        assertThat(run.exitCode()).isEqualTo(CommandFailure.EXIT_CODE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("fedai fl simulate: MNIST is missing: run scripts/fetch-mnist.sh")
                .contains(empty.toAbsolutePath().toString()));
    }

    @Test
    void aRoleWithoutMnistPrintsOneLineToo() {
        CliRun run = CliRun.run("", "fl", "validate", "--relay", "ws://127.0.0.1:1", "--key", "11".repeat(32),
                "--task", "31410:" + "22".repeat(32) + ":t", "--data", empty.toString(),
                "--db", empty.resolve("v.db").toString());

        assertThat(run.exitCode()).isEqualTo(CommandFailure.EXIT_CODE);
        assertThat(run.err().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("fedai fl validate: MNIST is missing"));
    }

    @Test
    void aBadOptionIsOneLineAndAPointerToTheHelp() {
        CliRun run = CliRun.run("", "fl", "simulate", "--rounds", "not-a-number");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().toList()).hasSize(2).last().isEqualTo("see 'fedai fl simulate --help'");
        assertThat(run.err()).doesNotContain("Usage:");
    }
}
