package org.fedai.roles.router;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Collectors;
import org.fedai.nostr.Hex;
import org.fedai.store.RouterProbationJournal;

/**
 * The gate before a router routes anything: its measured {@link RouterBenchmarks} against the
 * {@link RouterMinimums}. A machine that falls short is refused with every shortfall named; one that passes gets
 * a salted commitment to its exact figures, journaled so it can be opened later, to announce in 31401.
 */
public final class RouterAdmission {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RouterAdmission() {
    }

    /** The admission decision. */
    public sealed interface Outcome {
        RouterBenchmarks figures();
    }

    /** Every minimum met; {@code commitment} is what the announcement carries. */
    public record Admitted(RouterBenchmarks figures, String commitment) implements Outcome {
    }

    /** At least one minimum missed: the router must not start. */
    public record Refused(RouterBenchmarks figures, List<RouterMinimums.Shortfall> shortfalls) implements Outcome {
        public Refused {
            shortfalls = List.copyOf(shortfalls);
        }

        public String message() {
            return "this machine does not meet the router minimums (docs/operator-guide.md, Router): "
                    + shortfalls.stream().map(RouterMinimums.Shortfall::message).collect(Collectors.joining("; "));
        }
    }

    public static Outcome admit(RouterBenchmarks measured, RouterMinimums minimums, RouterProbationJournal journal,
            InstantSource clock) {
        List<RouterMinimums.Shortfall> shortfalls = minimums.check(measured);
        if (!shortfalls.isEmpty()) {
            return new Refused(measured, shortfalls);
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String commitment = measured.commitment(salt);
        StringBuilder figures = new StringBuilder();
        measured.asMap().forEach((k, v) -> figures.append(k).append('=').append(Double.toString(v)).append(';'));
        journal.recordBench(new RouterProbationJournal.BenchRun(commitment, Hex.encode(salt), figures.toString(),
                clock.millis() / 1000));
        return new Admitted(measured, commitment);
    }
}
