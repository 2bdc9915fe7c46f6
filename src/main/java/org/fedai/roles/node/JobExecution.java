package org.fedai.roles.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fedai.nostr.Json;
import org.fedai.roles.node.machine.RunOutcome;
import org.fedai.runner.Embedding;
import org.fedai.runner.RunOutput;
import org.fedai.runner.RunParams;
import org.fedai.runner.RunRequest;
import org.fedai.runner.RunResult;
import org.fedai.runner.Runner;
import org.fedai.runner.StreamSink;
import org.fedai.runner.TaskType;
import org.fedai.runner.Usage;

/**
 * One job through the runner: the quoted task and the client's texts in, the 4406 output (type, string, units)
 * out. Embeddings give {@code vectors}, chunking {@code chunks} (every text's chunks, in order), generation
 * {@code text}. A runner failure is an outcome, never an exception.
 */
final class JobExecution {

    private JobExecution() {
    }

    /** The runner task for a quote's task name (event-kinds/31400 names, plus the runner's own). */
    static Optional<TaskType> taskType(String task) {
        return switch (task) {
            case "embedding" -> Optional.of(TaskType.EMBEDDING);
            case "chunk" -> Optional.of(TaskType.CHUNK);
            case "chat", "completion", "text-generation" -> Optional.of(TaskType.TEXT_GENERATION);
            default -> Optional.empty();
        };
    }

    /** {@code sink} sees generated text as it streams (the other tasks produce their output at once). */
    static RunOutcome run(Runner runner, String model, String task, List<String> texts, Map<String, String> params,
            StreamSink sink) {
        Optional<TaskType> type = taskType(task);
        if (type.isEmpty()) {
            return new RunOutcome.Failed("unsupported task " + task);
        }
        try {
            return switch (type.get()) {
                case EMBEDDING -> embed(runner, model, texts);
                case CHUNK -> chunk(runner, model, texts, intParam(params, "max_tokens"), intParam(params, "overlap"));
                case TEXT_GENERATION -> generate(runner, model, texts, intParam(params, "max_tokens"), sink);
            };
        } catch (NumberFormatException e) {
            return new RunOutcome.Failed("invalid_input: numeric parameter expected (" + e.getMessage() + ")");
        }
    }

    private static RunOutcome embed(Runner runner, String model, List<String> texts) {
        RunResult result = runner.run(RunRequest.embed(model, texts));
        if (!(result instanceof RunResult.Success s)) {
            return failed(result);
        }
        if (!(s.output() instanceof RunOutput.Vectors v)) {
            return new RunOutcome.Failed("internal: runner returned no vectors");
        }
        ArrayNode all = Json.MAPPER.createArrayNode();
        for (Embedding e : v.vectors()) {
            ArrayNode row = all.addArray();
            for (float f : e.values()) {
                row.add(f);
            }
        }
        return new RunOutcome.Done("vectors", all.toString(), s.usage().input(), unit(s.usage()));
    }

    private static RunOutcome chunk(Runner runner, String model, List<String> texts, int maxTokens, int overlap) {
        ArrayNode chunks = Json.MAPPER.createArrayNode();
        long units = 0;
        String unit = "token";
        for (String text : texts) {
            RunResult result = runner.run(RunRequest.chunk(model, text, maxTokens, overlap));
            if (!(result instanceof RunResult.Success s)) {
                return failed(result);
            }
            if (!(s.output() instanceof RunOutput.Texts t)) {
                return new RunOutcome.Failed("internal: runner returned no chunks");
            }
            t.texts().forEach(chunks::add);
            units += s.usage().input();
            unit = unit(s.usage());
        }
        return new RunOutcome.Done("chunks", chunks.toString(), units, unit);
    }

    private static RunOutcome generate(Runner runner, String model, List<String> texts, int maxTokens,
            StreamSink sink) {
        RunResult result = runner.run(RunRequest.complete(model, String.join("\n", texts),
                RunParams.generation(maxTokens, Double.NaN)), sink);
        if (!(result instanceof RunResult.Success s)) {
            return failed(result);
        }
        if (!(s.output() instanceof RunOutput.Text t)) {
            return new RunOutcome.Failed("internal: runner returned no text");
        }
        return new RunOutcome.Done("text", t.text(), s.usage().total(), unit(s.usage()));
    }

    private static RunOutcome failed(RunResult result) {
        RunResult.Failure f = (RunResult.Failure) result;
        String reason = f.reason().name().toLowerCase(Locale.ROOT) + ": " + f.detail();
        // the reason goes into a 4405 status, whose content is capped at 1024 characters
        return new RunOutcome.Failed(reason.length() > 1000 ? reason.substring(0, 1000) : reason);
    }

    /** Manifest and metering units are singular: text, token, byte. */
    private static String unit(Usage usage) {
        return switch (usage.unit()) {
            case TEXTS -> "text";
            case TOKENS -> "token";
            case BYTES -> "byte";
        };
    }

    private static int intParam(Map<String, String> params, String name) {
        String raw = params.get(name);
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        int value = Integer.parseInt(raw.trim());
        if (value < 0) {
            throw new NumberFormatException(name + " is negative");
        }
        return value;
    }
}
