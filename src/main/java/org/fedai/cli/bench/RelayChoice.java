package org.fedai.cli.bench;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** A benchmark's relay: one at a URL, or an embedded one that may hold each live delivery back (a hop's cost). */
final class RelayChoice {

    @Option(names = "--relay", paramLabel = "URL", description = "Use this relay instead of an embedded one.")
    String url;

    @Option(names = "--delay-ms", paramLabel = "MS", defaultValue = "0", description = {"The embedded relay holds each",
        "live delivery back this long, as strfry's fan-out debounce (~100 ms) does: every relay hop then costs at",
        "least that much (default ${DEFAULT-VALUE})."})
    long delayMs;

    /** Refuses, in one line, what cannot be run. */
    void check(CommandSpec spec) {
        if (delayMs < 0) {
            throw new ParameterException(spec.commandLine(), "--delay-ms must not be negative, got " + delayMs);
        }
        if (url != null && delayMs > 0) {
            throw new ParameterException(spec.commandLine(), "--delay-ms holds back the embedded relay's deliveries;"
                    + " another relay (--relay " + url + ") delays as it does");
        }
    }

    Duration delay() {
        return Duration.ofMillis(delayMs);
    }
}
