package org.fedai.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedai keys ...}: Nostr identities. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Nostr key tools.")
public final class KeysCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate a key pair; prints hex secret, hex pubkey, nsec and npub.")
    int generate(@Option(names = "--json", description = "One JSON object {secret, pubkey, nsec, npub}.") boolean json)
            throws JsonProcessingException {
        print(KeyPair.generate(), json);
        return 0;
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Show a key in every form: an npub or 64-hex public key as hex and npub; an nsec (or a",
                "64-hex secret with --secret) as all four forms, like generate. Secrets go on stdin when KEY is '-'."})
    int convert(@picocli.CommandLine.Parameters(paramLabel = "KEY", description = "npub1..., nsec1..., 64 hex, or - for stdin.")
            String key,
            @Option(names = "--secret", description = "A 64-hex KEY is a secret key (default: a public key).") boolean secret,
            @Option(names = "--json", description = "One JSON object.") boolean json)
            throws JsonProcessingException, java.io.IOException {
        String value = key.equals("-") ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .strip() : key.strip();
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (value.startsWith("nsec1") || (secret && value.matches("[0-9a-fA-F]{64}"))) {
                print(KeyPair.parse(value), json);
                return 0;
            }
            String hex = value.startsWith("npub1") ? org.fedai.nostr.Nip19.decodeNpub(value)
                    : value.toLowerCase(java.util.Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("not 64 hex characters");
            }
            String npub = org.fedai.nostr.Nip19.encodeNpub(hex);
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(Json.MAPPER.createObjectNode().put("pubkey", hex)
                        .put("npub", npub)));
            } else {
                out.println("pubkey: " + hex);
                out.println("npub:   " + npub);
            }
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine().getSubcommands().get("convert"),
                    "KEY is not an npub, nsec or 64-hex"
                    + " key (" + e.getMessage() + ")");
        }
    }

    private void print(KeyPair keys, boolean json) throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = Json.MAPPER.createObjectNode()
                    .put("secret", keys.secretKeyHex())
                    .put("pubkey", keys.publicKey())
                    .put("nsec", keys.nsec())
                    .put("npub", keys.npub());
            out.println(Json.MAPPER.writeValueAsString(node));
        } else {
            out.println("secret: " + keys.secretKeyHex());
            out.println("pubkey: " + keys.publicKey());
            out.println("nsec:   " + keys.nsec());
            out.println("npub:   " + keys.npub());
        }
        out.flush();
    }
}
