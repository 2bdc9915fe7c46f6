package org.fedai.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A third-party Nostr relay (CodyTseng's nostr-relay, installed from npm by {@code test-relays/install.sh}) run
 * as a child process on 127.0.0.1 and an ephemeral port, so tests can prove that fedai's events and clients work
 * with a relay we did not write.
 *
 * <pre>{@code
 * ThirdPartyRelay.assumeAvailable();
 * try (ThirdPartyRelay relay = ThirdPartyRelay.start()) {
 *     connect(relay.url());
 * }
 * }</pre>
 *
 * The relay is started with {@code --exit-on-stdin-close}: we hold its stdin pipe, so if this JVM dies without
 * calling {@link #close()} the relay exits by itself instead of outliving the test run.
 */
public final class ThirdPartyRelay implements AutoCloseable {

    /** Node start-up plus SQLite migrations; generous because CI shares two cores with a Maven build. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final String LISTENING = "listening ";
    /** Files that only a completed {@code install.sh} leaves behind; the native one is the step that fails. */
    private static final List<String> INSTALLED_MARKERS = List.of(
            "node_modules/@nostr-relay/core/package.json",
            "node_modules/@nostr-relay/event-repository-sqlite/package.json",
            "node_modules/better-sqlite3/build/Release/better_sqlite3.node",
            "node_modules/ws/package.json");

    private final Process process;
    private final URI url;
    private final Path log;

    private ThirdPartyRelay(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Whether the relay can be started here, and if not, why. */
    public record Availability(boolean available, String reason, Path testRelaysDir) {
    }

    public static Availability availability() {
        Optional<Path> root = projectRoot(Path.of(System.getProperty("user.dir")));
        if (root.isEmpty()) {
            return new Availability(false, "project root (pom.xml + test-relays/relay.mjs) not found above "
                    + System.getProperty("user.dir"), null);
        }
        return availability(root.get().resolve("test-relays"));
    }

    static Availability availability(Path testRelaysDir) {
        if (!Files.isRegularFile(testRelaysDir.resolve("relay.mjs"))) {
            return new Availability(false, "no relay.mjs in " + testRelaysDir, testRelaysDir);
        }
        for (String marker : INSTALLED_MARKERS) {
            if (!Files.exists(testRelaysDir.resolve(marker))) {
                return new Availability(false, "third-party relay not installed (" + marker
                        + " missing): run test-relays/install.sh", testRelaysDir);
            }
        }
        Optional<String> nodeProblem = nodeProblem();
        return nodeProblem.map(problem -> new Availability(false, problem, testRelaysDir))
                .orElseGet(() -> new Availability(true, "installed in " + testRelaysDir, testRelaysDir));
    }

    public static boolean isAvailable() {
        return availability().available();
    }

    /** Why the relay cannot run here, if it cannot. */
    public static Optional<String> unavailableReason() {
        Availability a = availability();
        return a.available() ? Optional.empty() : Optional.of(a.reason());
    }

    /**
     * Skips the calling test (visibly, with the reason) when the relay is not installed, except under CI
     * ({@code CI=true}), where a missing install is a broken build and fails the test instead.
     */
    public static void assumeAvailable() {
        assumeAvailable(availability(), runningInCi());
    }

    static void assumeAvailable(Availability a, boolean ci) {
        if (a.available()) {
            return;
        }
        if (ci) {
            Assertions.fail("CI=true but the third-party relay is unavailable: " + a.reason());
        }
        Assumptions.assumeTrue(false, "skipped: " + a.reason());
    }

    static boolean runningInCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Starts a relay with a fresh temporary database on 127.0.0.1 and a free port; waits until it listens. */
    public static ThirdPartyRelay start() throws IOException {
        return start(0, null);
    }

    /**
     * Starts a relay on {@code port} (0: a free one) with its SQLite database at {@code db} (null: a fresh
     * temporary one), so a test can stop it and start it again on the same URL with the same events.
     */
    public static ThirdPartyRelay start(int port, Path db) throws IOException {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("third-party relay unavailable: " + a.reason());
        }
        Path log = Files.createTempFile("fedai-third-party-relay-", ".log");
        List<String> command = new java.util.ArrayList<>(List.of(nodeExecutable(), "relay.mjs", "--port",
                Integer.toString(port), "--exit-on-stdin-close"));
        if (db != null) {
            command.addAll(List.of("--db", db.toAbsolutePath().toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(a.testRelaysDir().toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = builder.start();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().name("third-party-relay-stdout-" + process.pid())
                .start(() -> readStdout(process, listening));
        try {
            URI url = listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new ThirdPartyRelay(process, url, log);
        } catch (TimeoutException | ExecutionException e) {
            stop(process);
            reader.interrupt();
            String why = e instanceof TimeoutException ? "no 'listening' line within " + START_TIMEOUT
                    : e.getCause().getMessage();
            throw new IOException("third-party relay did not start: " + why + "; its log:\n" + tail(log), e);
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the third-party relay", e);
        }
    }

    /** {@code ws://127.0.0.1:PORT}. */
    public URI url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** The relay's stderr so far, for assertion messages. */
    public String log() {
        return tail(log);
    }

    @Override
    public void close() {
        stop(process);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A leftover temp log is harmless; never let cleanup hide the test's own outcome.
        }
    }

    private static void stop(Process process) {
        ProcessHandle handle = process.toHandle();
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy(); // SIGTERM: the relay closes its sockets and deletes its temporary database
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                handle.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Completes {@code listening} with the first announced URL, then keeps draining so the pipe never fills. */
    private static void readStdout(Process process, CompletableFuture<URI> listening) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!listening.isDone() && line.startsWith(LISTENING)) {
                    listening.complete(URI.create(line.substring(LISTENING.length()).strip()));
                }
            }
            listening.completeExceptionally(new IOException("relay exited with code " + process.waitFor()));
        } catch (IOException | IllegalArgumentException e) {
            listening.completeExceptionally(e);
        } catch (InterruptedException e) {
            listening.completeExceptionally(e);
            Thread.currentThread().interrupt();
        }
    }

    static Optional<Path> projectRoot(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("test-relays/relay.mjs"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** {@code FEDAI_NODE} names a specific Node.js binary; otherwise {@code node} from PATH. */
    static String nodeExecutable() {
        String configured = System.getenv("FEDAI_NODE");
        return configured == null || configured.isBlank() ? "node" : configured;
    }

    private static Optional<String> nodeProblem() {
        String node = nodeExecutable();
        try {
            Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.of(node + " --version failed: " + out);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("Node.js not runnable as '" + node + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking Node.js");
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            List<String> last = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            return String.join("\n", last);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
