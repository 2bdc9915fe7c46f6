package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
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

/** Validates produced events against the JSON Schemas in event-kinds/: the event, then its JSON content. */
final class KindSchemas {

    static final Path DIR = Path.of("event-kinds");
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private KindSchemas() {
    }

    /** Every violation, as text; empty when the event conforms. Plain-JSON content is checked as it is. */
    static List<String> violations(Event event) {
        return violations(event, event.content());
    }

    /** As above, for sealed kinds: {@code plaintext} is the decrypted content checked against the schema. */
    static List<String> violations(Event event, String plaintext) {
        FedaiKind kind = FedaiKind.of(event.kind()).orElseThrow();
        try {
            JsonNode schemaNode = Json.MAPPER.readTree(Files.readString(DIR.resolve(kind.specName() + ".schema.json")));
            List<String> out = new ArrayList<>();
            collect(out, FACTORY.getSchema(schemaNode), Json.MAPPER.readTree(EventJson.toJson(event)));
            JsonNode contentSchema = schemaNode.path("$defs").path("content");
            if (!contentSchema.isMissingNode()) {
                collect(out, FACTORY.getSchema(contentSchema), Json.MAPPER.readTree(plaintext));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(List<String> out, JsonSchema schema, JsonNode node) {
        Set<ValidationMessage> messages = schema.validate(node);
        messages.forEach(m -> out.add(m.getMessage()));
    }
}
