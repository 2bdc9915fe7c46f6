package org.fedai.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How {@code fedai} reports a mistake: one line, {@code fedai <command>: <what is wrong>}, and for a usage error a
 * second one pointing at {@code --help}. Exit 2 for usage (a bad option or value), 1 for a failure at run time (a
 * port in use, a relay that does not answer). Never a stack trace, unless {@code fedai --verbose <command>} (or a
 * command's own {@code --verbose}, or {@code FEDAI_VERBOSE=1}) asks for one: a trace is for a bug report, the line
 * is for the person at the keyboard.
 */
final class CliErrors {

    static final int USAGE = CommandLine.ExitCode.USAGE;
    static final int RUNTIME = CommandLine.ExitCode.SOFTWARE;

    private static volatile boolean verbose = "1".equals(System.getenv("FEDAI_VERBOSE"));

    private CliErrors() {
    }

    /**
     * Remembers {@code --verbose}: before the command it is this class's and taken out; after it, it stays for the
     * commands that have their own ({@code profile}, {@code fl simulate}: show more) and asks for traces too.
     */
    static String[] apply(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("--verbose")) {
            rest.remove(0);
            verbose = true;
        }
        if (rest.contains("--verbose")) {
            verbose = true;
        }
        return rest.toArray(String[]::new);
    }

    static void install(CommandLine commandLine) {
        commandLine.setParameterExceptionHandler(CliErrors::onUsage);
        commandLine.setExecutionExceptionHandler((ex, cmd, parsed) -> onFailure(ex, cmd));
    }

    static int onUsage(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(name(cmd) + ": " + oneLine(ex.getMessage()));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("see '" + name(cmd) + " --help'");
        err.flush();
        return USAGE;
    }

    static int onFailure(Exception ex, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        int code;
        if (ex instanceof CommandFailure failure) {
            err.println(name(cmd) + ": " + oneLine(failure.getMessage()));
            code = CommandFailure.EXIT_CODE;
        } else if (ex instanceof IllegalArgumentException) {
            // thrown where a command checks a value picocli could not: still the user's input
            err.println(name(cmd) + ": " + describe(ex));
            err.println("see '" + name(cmd) + " --help'");
            code = USAGE;
        } else {
            err.println(name(cmd) + ": " + describe(ex) + (verbose ? "" : " (fedai --verbose ... shows where)"));
            code = RUNTIME;
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The innermost message worth reading; the kind of failure only when there is no message. */
    static String describe(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException
                    || t instanceof java.io.UncheckedIOException || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return oneLine(message);
    }

    private static String oneLine(String message) {
        String m = message == null ? "" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    private static String name(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName();
    }
}
