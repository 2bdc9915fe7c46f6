package org.fedai.nostr;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Text generators that lean on the characters JSON escaping gets wrong: controls, quotes, separators, surrogates. */
final class NostrArbitraries {

    private static final List<String> AWKWARD = List.of("\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\u0000",
            "\u0001", "\u001f", "\u007f", "\u0080", "\u00e9", "\u2028", "\u2029", "\ufeff", "\uffff", "\u4e2d",
            "\ud83d\ude00", "\ud83e\udd84", "\\u0041", "</script>", "null", "[\"x\"]");

    private NostrArbitraries() {
    }

    /** Well-formed Unicode text (surrogates only in pairs), as it travels in UTF-8 JSON. */
    static Arbitrary<String> text() {
        return pieces(Arbitraries.strings().all().ofMaxLength(8)
                .filter(NostrArbitraries::isWellFormed));
    }

    /** Any Java string, lone surrogates included: NIP-01 ids must still be computed for these. */
    static Arbitrary<String> anyText() {
        return pieces(Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(8),
                Arbitraries.of("\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00")));
    }

    private static Arbitrary<String> pieces(Arbitrary<String> random) {
        return Arbitraries.oneOf(Arbitraries.of(AWKWARD), random).list().ofMaxSize(12).map(l -> String.join("", l));
    }

    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static Arbitrary<List<List<String>>> tags(Arbitrary<String> text) {
        return text.list().ofMinSize(1).ofMaxSize(5).list().ofMaxSize(5);
    }
}
