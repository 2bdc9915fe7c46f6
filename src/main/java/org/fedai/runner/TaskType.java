package org.fedai.runner;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of work a runner can do; {@link #wireName()} is how jobs and manifests name them. */
public enum TaskType {
    /** Text (or chat) completion, streamed token by token where the runner can. */
    TEXT_GENERATION("text-generation"),
    /** One vector per input text. */
    EMBEDDING("embedding"),
    /** Split a text into pieces of at most N tokens, with overlap. */
    CHUNK("chunk");

    private final String wireName;

    TaskType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<TaskType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
