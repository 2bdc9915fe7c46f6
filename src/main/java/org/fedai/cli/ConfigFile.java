package org.fedai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code --config FILE}: a role's options in one commented TOML file, as strfry keeps its settings, with the
 * command line winning. Every key is a long option of the command without its dashes ({@code fee-ppm = 10000},
 * {@code relay = ["wss://a", "wss://b"]}, {@code stats = true}); the file is turned into those options, put where
 * {@code --config} stood, and an option also given on the command line is taken from there only. So the file
 * can say nothing the command line could not, and picocli checks it the same way.
 */
final class ConfigFile {

    private static final TomlMapper TOML = new TomlMapper();

    private ConfigFile() {
    }

    /**
     * The arguments with {@code --config FILE} replaced by the options the file holds.
     *
     * @throws IllegalArgumentException naming the file, for a file that cannot be read or is not flat TOML
     */
    static String[] apply(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            boolean inline = args[i].startsWith("--config=");
            if (!args[i].equals("--config") && !inline) {
                out.add(args[i]);
                continue;
            }
            if (!inline && i + 1 >= args.length) {
                throw new IllegalArgumentException("--config needs a file");
            }
            Path file = Path.of(inline ? args[i].substring("--config=".length()) : args[++i]);
            out.addAll(options(file, args));
        }
        return out.toArray(String[]::new);
    }

    /** The file's settings as options, leaving out those the command line gives itself. */
    static List<String> options(Path file, String[] commandLine) {
        JsonNode root;
        try {
            root = TOML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + file + ": " + CliErrors.describe(e));
        }
        List<String> options = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> setting = it.next();
            String option = "--" + setting.getKey();
            if (given(commandLine, option)) {
                continue; // flags override the file
            }
            JsonNode value = setting.getValue();
            if (value.isObject()) {
                throw new IllegalArgumentException("--config " + file + ": [" + setting.getKey() + "] is a table;"
                        + " write each option as key = value at the top level");
            }
            if (value.isBoolean()) {
                if (value.booleanValue()) {
                    options.add(option);
                }
            } else if (value.isArray()) {
                value.forEach(v -> options.addAll(List.of(option, v.asText())));
            } else {
                options.addAll(List.of(option, value.asText()));
            }
        }
        return options;
    }

    private static boolean given(String[] commandLine, String option) {
        for (String a : commandLine) {
            if (a.equals(option) || a.startsWith(option + "=")) {
                return true;
            }
        }
        return false;
    }
}
