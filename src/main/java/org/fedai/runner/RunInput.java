package org.fedai.runner;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** What goes into a run. Which variants a task accepts is the runner's check, answered with a typed failure. */
public sealed interface RunInput {

    /** One text: a prompt to complete, or a document to chunk. */
    record Text(String text) implements RunInput {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Several texts, e.g. a batch to embed. */
    record Texts(List<String> texts) implements RunInput {
        public Texts {
            texts = List.copyOf(texts);
        }
    }

    /** A conversation for chat models. */
    record Chat(List<ChatMessage> messages) implements RunInput {
        public Chat {
            messages = List.copyOf(messages);
        }
    }

    /** Raw bytes (an image, audio) with their media type: room for runners that are not text. */
    record Bytes(byte[] data, String mediaType) implements RunInput {
        public Bytes {
            data = data.clone();
            Objects.requireNonNull(mediaType, "mediaType");
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int size() {
            return data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(data, b.data) && mediaType.equals(b.mediaType);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(data) + mediaType.hashCode();
        }

        @Override
        public String toString() {
            return "Bytes[" + data.length + " bytes, " + mediaType + "]";
        }
    }

    /** One chat turn; role is "system", "user" or "assistant". */
    record ChatMessage(String role, String content) {
        public ChatMessage {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }

        public static ChatMessage user(String content) {
            return new ChatMessage("user", content);
        }

        public static ChatMessage system(String content) {
            return new ChatMessage("system", content);
        }
    }
}
