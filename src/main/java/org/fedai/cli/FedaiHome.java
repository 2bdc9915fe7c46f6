package org.fedai.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where the roles keep their keys and databases when no option names a file: {@code ~/.fedai}, or the folder
 * {@code FEDAI_HOME} or {@code fedai --home DIR <command>} names. fedai creates it readable by its owner only
 * (0700), as a wallet keeps its folder, since it holds secret keys, job inputs and balances; a default folder an
 * older fedai left open to others is tightened. A folder the user named is left as they made it.
 */
final class FedaiHome {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static volatile Path dir = defaultDir();

    private FedaiHome() {
    }

    private static Path defaultDir() {
        String env = System.getenv("FEDAI_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".fedai");
    }

    /** Takes {@code --home DIR} (anywhere on the line) out of the arguments and remembers it. */
    static String[] apply(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--home") && i + 1 < args.length) {
                dir = Path.of(args[++i]);
            } else if (args[i].startsWith("--home=")) {
                dir = Path.of(args[i].substring("--home=".length()));
            } else {
                rest.add(args[i]);
            }
        }
        return rest.toArray(String[]::new);
    }

    static Path dir() {
        return dir;
    }

    /** {@code name} inside the home folder, which is created (0700) first when missing. */
    static Path file(String name) {
        Path home = dir.toAbsolutePath();
        try {
            if (!Files.isDirectory(home)) {
                if (home.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(home, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createDirectories(home);
                }
            } else if (home.equals(defaultDir().toAbsolutePath())
                    && home.getFileSystem().supportedFileAttributeViews().contains("posix")
                    && !Files.getPosixFilePermissions(home).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(home, OWNER_ONLY); // an older fedai made it 0755
            }
        } catch (IOException e) {
            throw new CommandFailure("cannot use " + home + " as fedai's folder: " + e.getMessage()
                    + " (set FEDAI_HOME or --home)");
        }
        return home.resolve(name);
    }

    /** {@code given} when an option named it, else {@code name} in the home folder. */
    static Path orHome(Path given, String name) {
        return given != null ? given : file(name);
    }
}
