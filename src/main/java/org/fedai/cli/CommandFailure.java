package org.fedai.cli;

/**
 * A failure the user fixes outside the command line (data not installed, say): {@link FedaiCommand} prints its
 * message as one line on stderr and exits {@link #EXIT_CODE}, without the usage text picocli adds to a
 * {@code ParameterException}, which would bury the one line that says what to do.
 */
final class CommandFailure extends RuntimeException {

    static final int EXIT_CODE = 2;

    CommandFailure(String message) {
        super(message, null, false, false);
    }
}
