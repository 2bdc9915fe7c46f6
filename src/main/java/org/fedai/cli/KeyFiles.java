package org.fedai.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.fedai.nostr.KeyPair;
import picocli.CommandLine;

/** The one way every long-running command gets its Nostr key: --key, or a key file created on first use. */
final class KeyFiles {

    private KeyFiles() {
    }

    /**
     * {@code --key} wins; otherwise the key file (its default when none was given), created with a fresh key,
     * readable by its owner only, when missing. With neither a key nor any file, a fresh key for this run.
     */
    static KeyPair load(CommandLine cli, String key, Path file, Path defaultFile) throws IOException {
        if (key != null && file != null) {
            throw new CommandLine.ParameterException(cli, "give --key or --key-file, not both");
        }
        if (key != null) {
            try {
                return KeyPair.parse(key.strip());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, "--key: " + e.getMessage());
            }
        }
        Path path = file != null ? file : defaultFile;
        if (path == null) {
            cli.getErr().println("no --key or --key-file: using a fresh key for this run only");
            return KeyPair.generate();
        }
        if (Files.exists(path)) {
            try {
                return KeyPair.parse(Files.readString(path, StandardCharsets.UTF_8).strip());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, "--key-file " + path + ": " + e.getMessage());
            }
        }
        KeyPair keys = KeyPair.generate();
        try {
            writeSecret(path, keys.nsec());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CommandLine.ParameterException(cli, "--key-file " + path + ": no such folder "
                    + path.toAbsolutePath().getParent());
        }
        cli.getErr().println("created key file " + path);
        return keys;
    }

    /** Creates the file readable by its owner only, before a byte of the secret is in it. */
    static void writeSecret(Path file, String secret) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            // a typo in a path must not leave a tree of folders behind: only fedai's own folder is made
            throw new java.nio.file.NoSuchFileException(parent.toString(), null, "no such folder");
        }
        try {
            if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("key file " + file + " appeared while creating it", e);
        }
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    }
}
