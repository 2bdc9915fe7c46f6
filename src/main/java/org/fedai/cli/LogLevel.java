package org.fedai.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code --log-level LEVEL} (or {@code FEDAI_LOG_LEVEL}), anywhere on a {@code fedai} command line: how much the
 * roles log to stderr (default {@code warn}, {@code error} for {@code demo}, whose tables warnings would cut into;
 * {@code info} shows every rejected event with its reason). Read before
 * picocli builds the command tree, because the logger reads its level once, when the first logger is made.
 */
final class LogLevel {

    static final String PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    private LogLevel() {
    }

    /**
     * Sets the level from the arguments (or the environment) and returns the arguments without the option.
     *
     * @throws IllegalArgumentException for a level that is none of the six, with a one-line message
     */
    static String[] apply(String[] args) {
        String level = System.getenv("FEDAI_LOG_LEVEL");
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-level") && i + 1 < args.length) {
                level = args[++i];
            } else if (args[i].startsWith("--log-level=")) {
                level = args[i].substring("--log-level=".length());
            } else {
                rest.add(args[i]);
            }
        }
        if (level == null && !rest.isEmpty() && rest.get(0).equals("demo")) {
            // the demo prints tables on stdout; its adversaries make the roles warn, which would cut into them
            level = "error";
        }
        if (level != null) {
            String wanted = level.toLowerCase(Locale.ROOT);
            if (!LEVELS.contains(wanted)) {
                throw new IllegalArgumentException("--log-level " + level
                        + ": one of trace, debug, info, warn, error, off");
            }
            System.setProperty(PROPERTY, wanted);
        }
        return rest.toArray(String[]::new);
    }
}
