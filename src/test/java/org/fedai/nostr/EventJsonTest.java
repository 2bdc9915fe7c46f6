package org.fedai.nostr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventJsonTest {

    private static final String ID = "\"id\":\"" + "a".repeat(64) + "\"";
    private static final String PUBKEY = "\"pubkey\":\"" + "b".repeat(64) + "\"";
    private static final String SIG = "\"sig\":\"" + "c".repeat(128) + "\"";

    private static String event(String createdAt, String kind, String tags, String content) {
        return "{" + ID + "," + PUBKEY + ",\"created_at\":" + createdAt + ",\"kind\":" + kind + ",\"tags\":" + tags
                + ",\"content\":" + content + "," + SIG + "}";
    }

    private static final String VALID = event("1700000000", "1", "[[\"e\",\"x\"]]", "\"hi\"");

    @Test
    void theBaseOfTheMalformedCasesIsItselfValid() throws MalformedEventException {
        Event event = EventJson.parse(VALID);
        assertThat(event.kind()).isEqualTo(1);
        assertThat(event.tags()).containsExactly(java.util.List.of("e", "x"));
    }

    static Stream<Arguments> malformed() {
        String deep = "[".repeat(200) + "]".repeat(200);
        return Stream.of(
                Arguments.of("empty input", ""),
                Arguments.of("not an object", "[]"),
                Arguments.of("a bare string", "\"event\""),
                Arguments.of("unclosed object", VALID.substring(0, VALID.length() - 1)),
                Arguments.of("missing sig", VALID.replace("," + SIG, "")),
                Arguments.of("missing tags", event("1", "1", "[]", "\"x\"").replace(",\"tags\":[]", "")),
                Arguments.of("id is a number", VALID.replace(ID, "\"id\":12")),
                Arguments.of("pubkey is null", VALID.replace(PUBKEY, "\"pubkey\":null")),
                Arguments.of("content is an object", event("1", "1", "[]", "{}")),
                Arguments.of("created_at is a string", event("\"1700000000\"", "1", "[]", "\"\"")),
                Arguments.of("created_at is negative", event("-1", "1", "[]", "\"\"")),
                Arguments.of("created_at is fractional", event("1.5", "1", "[]", "\"\"")),
                Arguments.of("created_at in exponent form", event("1e9", "1", "[]", "\"\"")),
                Arguments.of("created_at beyond 64 bits", event("99999999999999999999", "1", "[]", "\"\"")),
                Arguments.of("created_at with 50 digits", event("9".repeat(50), "1", "[]", "\"\"")),
                Arguments.of("kind above 65535", event("1", "65536", "[]", "\"\"")),
                Arguments.of("kind negative", event("1", "-1", "[]", "\"\"")),
                Arguments.of("kind is a string", event("1", "\"1\"", "[]", "\"\"")),
                Arguments.of("tags is an object", event("1", "1", "{}", "\"\"")),
                Arguments.of("tags holds a string", event("1", "1", "[\"e\"]", "\"\"")),
                Arguments.of("tag value is a number", event("1", "1", "[[\"e\",1]]", "\"\"")),
                Arguments.of("tag value is null", event("1", "1", "[[\"e\",null]]", "\"\"")),
                Arguments.of("tag value is an array", event("1", "1", "[[\"e\",[\"x\"]]]", "\"\"")),
                Arguments.of("trailing garbage", VALID + " x"),
                Arguments.of("trailing second object", VALID + VALID),
                Arguments.of("trailing comma", VALID.substring(0, VALID.length() - 1) + ",}"),
                Arguments.of("deeply nested tags", event("1", "1", deep, "\"\"")),
                Arguments.of("deeply nested unknown field", VALID.replace("{" + ID, "{\"x\":" + deep + "," + ID)),
                Arguments.of("single quotes", VALID.replace('"', '\'')),
                Arguments.of("unescaped control character", event("1", "1", "[]", "\"a\u0001b\"")),
                Arguments.of("invalid escape", event("1", "1", "[]", "\"\\x41\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputIsRefusedWithAReason(String name, String json) {
        assertThatThrownBy(() -> EventJson.parse(json))
                .isExactlyInstanceOf(MalformedEventException.class)
                .hasMessageMatching("(?s).*\\S.*");
    }
}
