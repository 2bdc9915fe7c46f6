package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --config FILE}: a role's options from one TOML file, the command line winning; the shipped ones parse. */
class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void theShippedExamplesAreEveryOneOptionsOfTheirCommand() {
        for (List<String> command : List.of(List.of("router"), List.of("node"), List.of("client", "submit"))) {
            String file = "config/" + command.get(0) + ".toml";
            String[] args = ConfigFile.apply(concat(command, "--config", file));
            CommandLine.ParseResult parsed = FedaiCommand.commandLine().parseArgs(args); // throws on an unknown key
            assertThat(parsed.subcommand()).as(file).isNotNull();
            assertThat(List.of(args)).as(file).contains("--relay", "ws://127.0.0.1:7612");
        }
    }

    @Test
    void anOptionOnTheCommandLineWinsAndListsAndSwitchesBecomeOptions() throws Exception {
        Path file = Files.writeString(dir.resolve("r.toml"), """
                # a comment
                relay = ["ws://a", "ws://b"]
                fee-ppm = 10000
                stats = true
                nip90 = false
                """);
        assertThat(ConfigFile.apply(new String[] {"router", "--config", file.toString(), "--fee-ppm", "5"}))
                .containsExactly("router", "--relay", "ws://a", "--relay", "ws://b", "--stats", "--fee-ppm", "5");
        assertThat(ConfigFile.apply(new String[] {"router", "--config=" + file, "--relay", "ws://c"}))
                .containsExactly("router", "--fee-ppm", "10000", "--stats", "--relay", "ws://c");
    }

    @Test
    void aFileThatIsNotFlatTomlIsRefusedNamingIt() throws Exception {
        Path tables = Files.writeString(dir.resolve("t.toml"), "[router]\nfee-ppm = 1\n");
        Path broken = Files.writeString(dir.resolve("b.toml"), "fee-ppm = = 1\n");

        assertThatThrownBy(() -> ConfigFile.apply(new String[] {"router", "--config", tables.toString()}))
                .hasMessageStartingWith("--config " + tables + ": [router] is a table");
        assertThatThrownBy(() -> ConfigFile.apply(new String[] {"router", "--config", broken.toString()}))
                .hasMessageStartingWith("--config " + broken + ": ");
        assertThatThrownBy(() -> ConfigFile.apply(new String[] {"router", "--config", dir.resolve("none").toString()}))
                .hasMessageStartingWith("--config " + dir.resolve("none") + ": ");
    }

    private static String[] concat(List<String> command, String... more) {
        List<String> all = new java.util.ArrayList<>(command);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
