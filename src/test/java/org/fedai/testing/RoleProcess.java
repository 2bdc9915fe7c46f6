package org.fedai.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code fedai} command in its own JVM (the classpath of this test run, main class FedaiCommand): its
 * output lines collected as they come, so a test can wait for a line or for the exit, each with a deadline.
 * Close kills it (and only it) if it is still running.
 */
public final class RoleProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private RoleProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("role-" + name).start(this::read);
    }

    /** How a role's JVM compiles. */
    public enum Jvm {
        /**
         * The first JIT tier only: a short-lived role starts and settles faster on a two-core machine busy with
         * several JVMs.
         */
        QUICK_START("-XX:TieredStopAtLevel=1"),
        /**
         * Every tier, as {@code ./fedai} runs it: a router's admission measures the optimising tier's steady state
         * (the first tier's SHA-256 measures about 100 MB/s against 1 500 and can fall short of the minimum).
         */
        AS_DEPLOYED();

        private final List<String> options;

        Jvm(String... options) {
            this.options = List.of(options);
        }
    }

    /** {@code fedai ARGS} in a JVM of its own ({@link Jvm#QUICK_START}), output read as it comes. */
    public static RoleProcess start(String name, Path workDir, String... args) throws IOException {
        return start(name, workDir, Jvm.QUICK_START, "org.fedai.cli.FedaiCommand", args);
    }

    /** {@code main ARGS} (fedai's, or a test-side wrapper such as {@code org.fedai.cli.FaultyFedai}). */
    public static RoleProcess start(String name, Path workDir, Jvm jvm, String main, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(jvm.options);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp",
                System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        return new RoleProcess(name, p);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended; what it printed is kept
        }
    }

    /** The first output line matching {@code regex} (groups available), waiting up to {@code timeout}. */
    public Matcher awaitLine(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long end = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    Matcher m = p.matcher(lines.get(seen));
                    if (m.find()) {
                        return m;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError(name + ": no line matching /" + regex + "/ within " + timeout + "; output:\n" + output());
                }
                lines.wait(left);
            }
        }
    }

    /** Every matching line so far. */
    public List<Matcher> matching(String regex) {
        Pattern p = Pattern.compile(regex);
        List<Matcher> out = new ArrayList<>();
        synchronized (lines) {
            for (String l : lines) {
                Matcher m = p.matcher(l);
                if (m.find()) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + "; output:\n" + output());
        }
        reader.join(TimeUnit.SECONDS.toMillis(10)); // its last lines may still be on their way to us
        return process.exitValue();
    }

    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    public String output() {
        synchronized (lines) {
            return name + "> " + String.join("\n" + name + "> ", lines);
        }
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs, nothing is flushed or closed; returns once it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
