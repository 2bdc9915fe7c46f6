package org.fedai.runner;

import java.util.List;
import java.util.Objects;

/** One unit of work for a runner. */
public record RunRequest(TaskType task, String model, RunInput input, RunParams params) {

    public RunRequest {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(input, "input");
        params = params == null ? RunParams.DEFAULTS : params;
    }

    public static RunRequest embed(String model, List<String> texts) {
        return new RunRequest(TaskType.EMBEDDING, model, new RunInput.Texts(texts), RunParams.DEFAULTS);
    }

    public static RunRequest chat(String model, List<RunInput.ChatMessage> messages, RunParams params) {
        return new RunRequest(TaskType.TEXT_GENERATION, model, new RunInput.Chat(messages), params);
    }

    public static RunRequest complete(String model, String prompt, RunParams params) {
        return new RunRequest(TaskType.TEXT_GENERATION, model, new RunInput.Text(prompt), params);
    }

    public static RunRequest chunk(String model, String text, int chunkTokens, int overlap) {
        return new RunRequest(TaskType.CHUNK, model, new RunInput.Text(text), RunParams.chunking(chunkTokens, overlap));
    }
}
