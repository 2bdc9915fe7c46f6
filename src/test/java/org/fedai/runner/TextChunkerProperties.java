package org.fedai.runner;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextChunkerProperties {

    private static final TextChunker CL100K = TextChunker.forEncoding("cl100k_base").orElseThrow();

    @Property(tries = 200)
    void everyChunkFitsTheBudgetAndIsAPieceOfTheText(@ForAll @StringLength(max = 600) String text,
                                                      @ForAll @IntRange(min = 8, max = 48) int budget,
                                                      @ForAll @IntRange(min = 0, max = 24) int overlapWish) {
        String valid = wellFormed(text);
        int overlap = Math.min(overlapWish, budget / 2);
        List<String> chunks = CL100K.split(valid, budget, overlap);

        assertThat(chunks).allSatisfy(c -> {
            assertThat(CL100K.countTokens(c)).isLessThanOrEqualTo(budget);
            assertThat(valid).contains(c);
        });
        assertThat(valid).startsWith(chunks.get(0));
        assertThat(valid).endsWith(chunks.get(chunks.size() - 1));
    }

    @Property(tries = 200)
    void withoutOverlapTheChunksRebuildTheText(@ForAll @StringLength(max = 600) String text,
                                               @ForAll @IntRange(min = 8, max = 48) int budget) {
        String valid = wellFormed(text);
        assertThat(String.join("", CL100K.split(valid, budget, 0))).isEqualTo(valid);
    }

    /** Unpaired surrogates cannot be UTF-8 encoded; the input policy refuses them before chunking. */
    private static String wellFormed(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().filter(cp -> !Character.isSurrogate((char) cp) || cp > 0xFFFF).forEach(b::appendCodePoint);
        return b.toString();
    }
}
