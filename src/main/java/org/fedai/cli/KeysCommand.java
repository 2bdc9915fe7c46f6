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
        KeyPair keys = KeyPair.generate();
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
        return 0;
    }
}
