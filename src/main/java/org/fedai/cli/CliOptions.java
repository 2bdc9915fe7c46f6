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

    /** How long a command that needs its relays waits for one of them to accept a connection. */
    static final Duration REACH_WITHIN = Duration.ofSeconds(5);

    /**
     * Fails, naming every relay and why ({@code relay ws://...: connection refused}), when none of {@code urls}
     * accepts a connection within {@link #REACH_WITHIN}: a command that cannot reach any relay says so at once
     * instead of waiting out its timeout. One reachable relay is enough; the pool rides out the others.
     */
    static void requireReachable(picocli.CommandLine commandLine, Iterable<String> urls) {
        try (RelayPool probe = new RelayPool()) {
            addRelays(commandLine, probe, urls);
            long until = System.nanoTime() + REACH_WITHIN.toNanos();
            while (System.nanoTime() < until) {
                if (probe.health().stream().anyMatch(org.fedai.nostr.pool.RelayHealth::connected)) {
                    return;
                }
                try {
                    Thread.sleep(50); // the pool has no connect signal; a probe polls its health
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            throw new CommandFailure(String.join("; ", probe.health().stream()
                    .map(org.fedai.nostr.pool.RelayHealth::unreachable).toList()));
        }
    }

    /** An npub or 64-hex public key given to {@code option}; anything else is a usage error naming it. */
    static String pubkey(picocli.CommandLine cli, String option, String value) {
        try {
            String hex = value.startsWith("npub1") ? org.fedai.nostr.Nip19.decodeNpub(value) : value;
            if (hex.matches("[0-9a-f]{64}")) {
                return hex;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new picocli.CommandLine.ParameterException(cli, option + " must be an npub or 64 lowercase hex, got "
                + value);
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
