package org.fedai.cli;

/**
 * A failure the user fixes outside the command line (data not installed, say): {@link CliErrors} prints its
 * message as one line on stderr and exits {@link #EXIT_CODE} (a failure at run time, not a usage error).
 */
final class CommandFailure extends RuntimeException {

    static final int EXIT_CODE = CliErrors.RUNTIME;

    CommandFailure(String message) {
        super(message, null, false, false);
    }
}
