package org.fedai.runner;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Admission rules for text a node will run: bounded size and batch, no control characters
 * other than whitespace, well-formed Unicode. Admitted text comes back NFC-normalised so that
 * the same words always tokenise, cache and bill the same way.
 *
 * @param maxTextBytes  UTF-8 size limit of any one text
 * @param maxTotalBytes UTF-8 size limit of a whole request
 * @param maxBatch      most texts in one request
 */
public record InputPolicy(int maxTextBytes, int maxTotalBytes, int maxBatch) {

    public static final InputPolicy DEFAULT = new InputPolicy(64 * 1024, 1024 * 1024, 256);

    public InputPolicy {
        if (maxTextBytes <= 0 || maxTotalBytes < maxTextBytes || maxBatch <= 0) {
            throw new IllegalArgumentException("limits must be positive and the total at least one text");
        }
    }

    /** Admits a batch of texts, or says why not. */
    public List<String> admitAll(List<String> texts) throws RunFailedException {
        if (texts.isEmpty()) {
            throw new RunFailedException(FailureReason.INVALID_INPUT, "no texts");
        }
        if (texts.size() > maxBatch) {
            throw new RunFailedException(FailureReason.BATCH_TOO_LARGE,
                    texts.size() + " texts, at most " + maxBatch + " allowed");
        }
        List<String> admitted = new ArrayList<>(texts.size());
        long total = 0;
        for (int i = 0; i < texts.size(); i++) {
            String text = admitOne(texts.get(i), "text " + i);
            total += utf8Length(text);
            if (total > maxTotalBytes) {
                throw new RunFailedException(FailureReason.INPUT_TOO_LARGE,
                        "request exceeds " + maxTotalBytes + " bytes");
            }
            admitted.add(text);
        }
        return admitted;
    }

    /** The chat roles every OpenAI-compatible and Ollama server understands. */
    public static final Set<String> CHAT_ROLES = Set.of("system", "user", "assistant");

    /** Admits a conversation: known roles, each content admitted like a text, bounded in count and total size. */
    public List<RunInput.ChatMessage> admitChat(List<RunInput.ChatMessage> messages) throws RunFailedException {
        for (RunInput.ChatMessage m : messages) {
            if (!CHAT_ROLES.contains(m.role())) {
                throw new RunFailedException(FailureReason.INVALID_INPUT, "unknown chat role " + m.role());
            }
        }
        List<String> contents = admitAll(messages.stream().map(RunInput.ChatMessage::content).toList());
        List<RunInput.ChatMessage> admitted = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            admitted.add(new RunInput.ChatMessage(messages.get(i).role(), contents.get(i)));
        }
        return admitted;
    }

    /** Admits the input of a text-generation request as a conversation; a bare text is one user turn. */
    public List<RunInput.ChatMessage> admitPrompt(RunInput input) throws RunFailedException {
        return switch (input) {
            case RunInput.Chat c -> admitChat(c.messages());
            case RunInput.Text t -> List.of(RunInput.ChatMessage.user(admit(t.text())));
            default -> throw new RunFailedException(FailureReason.UNSUPPORTED_TASK, "text generation takes text or chat");
        };
    }

    /** Admits the input of an embedding request. */
    public List<String> admitEmbeddingInput(RunInput input) throws RunFailedException {
        return switch (input) {
            case RunInput.Texts t -> admitAll(t.texts());
            case RunInput.Text t -> List.of(admit(t.text()));
            default -> throw new RunFailedException(FailureReason.UNSUPPORTED_TASK, "embedding takes text");
        };
    }

    /** Admits one text, or says why not. */
    public String admit(String text) throws RunFailedException {
        return admitOne(text, "text");
    }

    private String admitOne(String text, String what) throws RunFailedException {
        if (text == null || text.isEmpty()) {
            throw new RunFailedException(FailureReason.INVALID_INPUT, what + " is empty");
        }
        // Cheap bound before any per-character work: a UTF-8 character is at least one byte.
        if (text.length() > maxTextBytes || utf8Length(text) > maxTextBytes) {
            throw new RunFailedException(FailureReason.INPUT_TOO_LARGE, what + " exceeds " + maxTextBytes + " bytes");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && !isLayoutWhitespace(c)) {
                throw new RunFailedException(FailureReason.CONTROL_CHARACTERS,
                        what + " holds control character U+" + String.format("%04X", (int) c) + " at " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new RunFailedException(FailureReason.INVALID_INPUT, what + " holds an unpaired surrogate at " + i);
            }
        }
        return Normalizer.normalize(text, Normalizer.Form.NFC);
    }

    // Not Character.isWhitespace: that also admits the separators U+001C..U+001F.
    private static boolean isLayoutWhitespace(char c) {
        return c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
