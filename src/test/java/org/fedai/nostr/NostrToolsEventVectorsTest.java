package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Events signed by nostr-tools 2.25.2 (source: test-relays/gen-vectors.mjs over test-relays/interop-cases.mjs):
 * every C0 control character, U+2028/U+2029, lone surrogates, emoji, 1 KB tag values, 300 tags, and tampered
 * copies. fedai must compute the same ids and reach the same verdicts, without Node.js at test time.
 */
class NostrToolsEventVectorsTest {

    private static final String VECTORS = "/interop/nostr-tools-events.jsonl";

    record Vector(String name, EventCheck expect, String eventJson) {
        @Override
        public String toString() {
            return name + " -> " + expect;
        }
    }

    static List<Vector> vectors() throws IOException {
        List<Vector> vectors = new ArrayList<>();
        try (InputStream in = NostrToolsEventVectorsTest.class.getResourceAsStream(VECTORS);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode node = Json.MAPPER.readTree(line);
                vectors.add(new Vector(node.get("name").asText(), EventCheck.valueOf(node.get("expect").asText()),
                        Json.MAPPER.writeValueAsString(node.get("event"))));
            }
        }
        return vectors;
    }

    static Stream<Arguments> cases() throws IOException {
        return vectors().stream().map(Arguments::of);
    }

    @Test
    void fileHoldsValidAndTamperedEvents() throws IOException {
        List<Vector> all = vectors();
        assertThat(all).filteredOn(v -> v.expect() == EventCheck.VALID).hasSizeGreaterThanOrEqualTo(20);
        assertThat(all).extracting(Vector::expect).contains(EventCheck.ID_MISMATCH, EventCheck.BAD_SIGNATURE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fedaiReachesNostrToolsVerdict(Vector vector) throws MalformedEventException {
        Event event = EventJson.parse(vector.eventJson());

        assertThat(EventVerifier.check(event)).isEqualTo(vector.expect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fedaiComputesNostrToolsIdAndKeepsItThroughItsOwnJson(Vector vector) throws MalformedEventException {
        Event event = EventJson.parse(vector.eventJson());
        if (vector.expect() == EventCheck.VALID) {
            assertThat(EventSigner.id(event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content()))
                    .isEqualTo(event.id());
        }
        Event again = EventJson.parse(EventJson.toJson(event));
        assertThat(again).isEqualTo(event);
        assertThat(EventVerifier.check(again)).isEqualTo(vector.expect());
    }
}
