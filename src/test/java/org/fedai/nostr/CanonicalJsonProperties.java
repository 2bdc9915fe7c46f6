package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * NIP-01 id serialization against an independent model of ECMAScript's JSON.stringify
 * (QuoteJSONString, ES2019 well-formed variant) and against Jackson reading the bytes back.
 */
class CanonicalJsonProperties {

    @Provide
    Arbitrary<String> anyText() {
        return NostrArbitraries.anyText();
    }

    @Provide
    Arbitrary<List<List<String>>> anyTags() {
        return NostrArbitraries.tags(NostrArbitraries.anyText());
    }

    @Property(tries = 500)
    void quoteMatchesJsonStringify(@ForAll("anyText") String s) {
        assertThat(CanonicalJson.quote(s)).isEqualTo(jsonStringify(s));
    }

    @Property(tries = 500)
    void outputIsStrictUtf8JsonThatReadsBackToTheInput(@ForAll("anyText") String content,
            @ForAll("anyTags") List<List<String>> tags) throws Exception {
        byte[] bytes = CanonicalJson.serialize("ab".repeat(32), 1_700_000_000L, 1, tags, content);

        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        assertThat(text.chars().filter(c -> c < 0x20)).isEmpty();

        JsonNode array = Json.MAPPER.readTree(bytes);
        assertThat(array.size()).isEqualTo(6);
        assertThat(array.get(0).asInt()).isZero();
        assertThat(array.get(2).asLong()).isEqualTo(1_700_000_000L);
        assertThat(array.get(5).asText()).isEqualTo(content);
        for (int i = 0; i < tags.size(); i++) {
            for (int j = 0; j < tags.get(i).size(); j++) {
                assertThat(array.get(4).get(i).get(j).asText()).isEqualTo(tags.get(i).get(j));
            }
        }
    }

    /** ECMAScript QuoteJSONString, written from the spec's table rather than from CanonicalJson. */
    private static String jsonStringify(String s) {
        StringBuilder out = new StringBuilder("\"");
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case 0x08 -> out.append("\\b");
                case 0x09 -> out.append("\\t");
                case 0x0A -> out.append("\\n");
                case 0x0C -> out.append("\\f");
                case 0x0D -> out.append("\\r");
                case 0x22 -> out.append("\\\"");
                case 0x5C -> out.append("\\\\");
                default -> {
                    if (cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                        out.append(String.format("\\u%04x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
