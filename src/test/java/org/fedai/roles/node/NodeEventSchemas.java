package org.fedai.roles.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.Json;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip44;
import org.fedai.protocol.FedaiKind;

/**
 * Checks what the node really published against event-kinds/*.schema.json: the event, and its content (opened
 * with the client's key when it is sealed), so the role cannot drift from the spec the other roles code to.
 */
final class NodeEventSchemas {

    private static final Set<Integer> SEALED_TO_CLIENT = Set.of(4402, 4406, 24401);
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private NodeEventSchemas() {
    }

    /** {@code recipients}: the keys a sealed event may be addressed to (its first {@code p} picks one). */
    static List<String> violations(Event event, KeyPair... recipients) {
        String to = event.firstTagValue("p").orElse("");
        KeyPair client = java.util.Arrays.stream(recipients).filter(k -> k.publicKey().equals(to)).findFirst()
                .orElse(recipients[0]);
        FedaiKind kind = FedaiKind.of(event.kind()).orElseThrow();
        try {
            JsonNode schema = Json.MAPPER.readTree(Files.readString(
                    Path.of("event-kinds", kind.specName() + ".schema.json")));
            List<String> out = new ArrayList<>();
            collect(out, FACTORY.getSchema(schema).validate(Json.MAPPER.readTree(EventJson.toJson(event))));
            JsonNode content = schema.path("$defs").path("content");
            if (!content.isMissingNode()) {
                String plaintext = SEALED_TO_CLIENT.contains(event.kind())
                        ? Nip44.decrypt(event.content(), Nip44.conversationKey(client.secretKey(), event.pubkey()))
                        : event.content();
                collect(out, FACTORY.getSchema(content).validate(Json.MAPPER.readTree(plaintext)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(List<String> out, Set<ValidationMessage> messages) {
        messages.forEach(m -> out.add(m.getMessage()));
    }
}
