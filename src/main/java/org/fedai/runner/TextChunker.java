package org.fedai.runner;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Token-aware splitting with a BPE tokenizer (jtokkit): every chunk encodes to at most the
 * budget, consecutive chunks share about {@code overlap} tokens, and no chunk starts or ends
 * inside a character (BPE tokens may split a multi-byte UTF-8 character).
 */
public final class TextChunker {

    /** Below this a budget cannot hold even one worst-case character with room to spare. */
    public static final int MIN_CHUNK_TOKENS = 8;

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private final Encoding encoding;

    private TextChunker(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The chunker for a tokenizer name such as "cl100k_base" or "o200k_base", if jtokkit has it. */
    public static Optional<TextChunker> forEncoding(String name) {
        return EncodingType.fromName(name).map(t -> new TextChunker(REGISTRY.getEncoding(t)));
    }

    public String encodingName() {
        return encoding.getName();
    }

    /** Special-token markers in user text count as plain text, never as control tokens. */
    public int countTokens(String text) {
        return encoding.countTokensOrdinary(text);
    }

    /** Splits {@code text}; a text within budget comes back whole. */
    public List<String> split(String text, int maxTokens, int overlap) {
        if (maxTokens < MIN_CHUNK_TOKENS) {
            throw new IllegalArgumentException("chunk budget must be at least " + MIN_CHUNK_TOKENS + " tokens");
        }
        if (overlap < 0 || overlap > maxTokens / 2) {
            throw new IllegalArgumentException("overlap must be between 0 and half the budget");
        }
        IntArrayList tokens = encoding.encodeOrdinary(text);
        int n = tokens.size();
        if (n <= maxTokens) {
            return List.of(text);
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int[] offset = byteOffsets(tokens);
        boolean[] boundary = new boolean[n + 1];
        for (int i = 0; i <= n; i++) {
            boundary[i] = i == n || (utf8[offset[i]] & 0xC0) != 0x80;
        }
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = Math.min(start + maxTokens, n);
            while (!boundary[end]) {
                end--;
            }
            String piece = slice(utf8, offset[start], offset[end]);
            // Re-encoding a piece can merge differently at its edges; shrink until it fits for real.
            while (countTokens(piece) > maxTokens && end > nextBoundary(boundary, start)) {
                end = previousBoundary(boundary, end - 1);
                piece = slice(utf8, offset[start], offset[end]);
            }
            chunks.add(piece);
            if (end >= n) {
                return chunks;
            }
            int next = previousBoundary(boundary, Math.max(end - overlap, 0));
            start = next > start ? next : nextBoundary(boundary, start);
        }
    }

    private int[] byteOffsets(IntArrayList tokens) {
        int[] offset = new int[tokens.size() + 1];
        IntArrayList one = new IntArrayList(1);
        for (int i = 0; i < tokens.size(); i++) {
            one.clear();
            one.add(tokens.get(i));
            offset[i + 1] = offset[i] + encoding.decodeBytes(one).length;
        }
        return offset;
    }

    private static int previousBoundary(boolean[] boundary, int i) {
        while (!boundary[i]) {
            i--;
        }
        return i;
    }

    private static int nextBoundary(boolean[] boundary, int i) {
        i++;
        while (!boundary[i]) {
            i++;
        }
        return i;
    }

    private static String slice(byte[] utf8, int from, int to) {
        return new String(utf8, from, to - from, StandardCharsets.UTF_8);
    }
}
