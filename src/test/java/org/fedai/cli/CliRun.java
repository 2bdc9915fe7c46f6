package org.fedai.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs {@code fedai} in-process with captured stdout/stderr and the given stdin. */
record CliRun(int exitCode, String out, String err) {

    static synchronized CliRun run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static synchronized CliRun run(byte[] stdin, String... args) {
        CommandLine commandLine = FedaiCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin));
        try {
            int exit = commandLine.execute(args);
            return new CliRun(exit, out.toString(), err.toString());
        } finally {
            System.setIn(original);
        }
    }
}
