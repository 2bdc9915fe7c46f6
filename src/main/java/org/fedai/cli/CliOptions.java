package org.fedai.cli;

import java.time.Duration;
import org.fedai.nostr.pool.RelayPool;

/** Option checks shared by the relay commands: a bad value is a usage error (exit 2), not a stack trace. */
final class CliOptions {

    private CliOptions() {
    }

    static Duration seconds(picocli.CommandLine commandLine, double seconds) {
        if (!(seconds > 0) || seconds > 86_400) {
            throw new picocli.CommandLine.ParameterException(commandLine,
                    "--timeout must be between 0 and 86400 seconds, got " + seconds);
        }
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    /** {@code days} (fractions allowed) of option {@code name} as a duration: 0 to 100 years, else a usage error. */
    static Duration days(picocli.CommandLine commandLine, String name, double days) {
        if (!(days >= 0) || days > 36_500) {
            throw new picocli.CommandLine.ParameterException(commandLine,
                    name + " must be between 0 and 36500 days, got " + days);
        }
        return Duration.ofSeconds(Math.round(days * 86_400));
    }

    /** Adds each relay, turning a malformed URL into a usage error. */
    static void addRelays(picocli.CommandLine commandLine, RelayPool pool, Iterable<String> urls) {
        for (String url : urls) {
            try {
                pool.addRelay(url);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(commandLine, "--relay " + url + ": "
                        + e.getMessage());
            }
        }
    }
}
