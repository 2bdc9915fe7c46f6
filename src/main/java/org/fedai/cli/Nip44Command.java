package org.fedai.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip19;
import org.fedai.nostr.Nip44;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai nip44 encrypt|decrypt}: NIP-44 v2 payloads between stdin and stdout. */
@Command(name = "nip44", mixinStandardHelpOptions = true, description = "NIP-44 v2 encryption (stdin -> stdout).")
public final class Nip44Command {

    static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Command(name = "encrypt", mixinStandardHelpOptions = true,
            description = "Encrypt all of stdin (UTF-8) to the peer; prints the base64 payload.")
    int encrypt(@Option(names = "--sec", required = true, description = "Your secret key: hex or nsec.") String sec,
            @Option(names = "--peer", required = true, description = "Peer public key: hex or npub.") String peer)
            throws IOException {
        try {
            byte[] key = conversationKey(sec, peer);
            String plaintext = CliInput.readAllUtf8(System.in);
            PrintWriter out = spec.commandLine().getOut();
            out.println(Nip44.encrypt(plaintext, key));
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            return fail(e);
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true,
            description = "Decrypt the payload on stdin from the peer; prints the plaintext exactly.")
    int decrypt(@Option(names = "--sec", required = true, description = "Your secret key: hex or nsec.") String sec,
            @Option(names = "--peer", required = true, description = "Peer public key: hex or npub.") String peer)
            throws IOException {
        try {
            byte[] key = conversationKey(sec, peer);
            String payload = CliInput.readAllUtf8(System.in).strip();
            String plaintext = Nip44.decrypt(payload, key);
            PrintWriter out = spec.commandLine().getOut();
            out.print(plaintext);
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            return fail(e);
        }
    }

    private static byte[] conversationKey(String sec, String peer) {
        KeyPair keys;
        try {
            keys = KeyPair.parse(sec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sec is not a valid secret key (64 hex characters or nsec)", e);
        }
        String peerHex = peer.strip();
        if (peerHex.startsWith("npub1")) {
            peerHex = Nip19.decodeNpub(peerHex);
        }
        return Nip44.conversationKey(keys.secretKey(), peerHex);
    }

    private int fail(IllegalArgumentException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: " + e.getMessage());
        err.flush();
        return BAD_INPUT;
    }
}
