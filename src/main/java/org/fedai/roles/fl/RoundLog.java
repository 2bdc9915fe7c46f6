package org.fedai.roles.fl;

import java.io.PrintWriter;

/**
 * Where a federation role says what it did, one line at a time (round trained, update sent, checkpoint signed):
 * the command line prints it, a test keeps it. The roles do not know which.
 */
@FunctionalInterface
public interface RoundLog {

    void say(String line);

    /** Each line printed and flushed at once, so a supervising process sees it as it happens. */
    static RoundLog to(PrintWriter out) {
        return line -> {
            out.println(line);
            out.flush();
        };
    }
}
