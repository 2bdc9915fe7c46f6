package org.fedai.roles.nip90;

import org.fedai.domain.Msat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedai.domain.PaymentTiming;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.nip90.Nip90Input;
import org.fedai.protocol.nip90.Nip90Kinds;
import org.fedai.protocol.nip90.Nip90Request;
import org.fedai.roles.client.JobSubmission;

/**
 * Which NIP-90 request kinds fedai serves and how each becomes a fedai job (event-kinds/nip90.md): 5050 text
 * generation, and embeddings and chunking under 5700 and 5701 (the NIP-90 job-type list has no kind for either).
 * Pure: a request in, a submission or the reason it cannot be one out.
 */
public final class Nip90Tasks {

    public static final int TEXT_GENERATION = Nip90Kinds.TEXT_GENERATION;
    public static final int EMBEDDING = Nip90Kinds.EMBEDDING;
    public static final int CHUNKING = Nip90Kinds.CHUNKING;
    public static final List<Integer> KINDS = Nip90Kinds.SERVED;
    /** 384 floats as JSON are about 4.7 KB a text: eight, sealed and base64'd, stay under a 60 KiB event. */
    public static final int MAX_EMBEDDING_TEXTS = 8;
    /** Chunks repeat their overlap, and results may be sealed: 24 KiB of input stays under a 60 KiB event. */
    public static final int MAX_INPUT_BYTES = 24 * 1024;

    /** The fedai params each kind passes on to the node: the rest are NIP-90's and fedai's runners ignore them. */
    private static List<String> forwardedParams(int kind) {
        return switch (kind) {
            case TEXT_GENERATION -> List.of("max_tokens", "temperature");
            case CHUNKING -> List.of("max_tokens", "overlap");
            default -> List.of();
        };
    }

    /** What a request becomes: a submission, or a 7000 {@code error} reason with a human detail. */
    public sealed interface Mapping {
        record Job(JobSubmission submission) implements Mapping { }

        record Refused(String reason, String detail) implements Mapping { }
    }

    /**
     * @param defaultModels  the model for each kind when the request names none
     * @param maxPrice       what the job may cost at most: the bid, or the price the customer will be shown
     * @param deliverWithin  seconds for the whole job, the customer's payment included
     * @param nodes          the nodes the request named as its providers (empty: any node)
     */
    public static Mapping map(Nip90Request request, Map<Integer, String> defaultModels, Msat maxPrice,
            long deliverWithin, java.util.Set<String> nodes) {
        String task = Nip90Kinds.task(request.kind());
        if (task.isEmpty()) {
            return new Mapping.Refused("unsupported_kind", "fedai serves kinds " + KINDS);
        }
        List<String> texts = new ArrayList<>();
        for (Nip90Input input : request.inputs()) {
            if (!input.isText()) {
                return new Mapping.Refused("unsupported_input", "input type " + input.type()
                        + " is not served: send the text itself (type text)");
            }
            texts.add(input.data());
        }
        if (texts.isEmpty()) {
            return new Mapping.Refused("malformed", "no text input (an i tag of type text)");
        }
        if (request.kind() == TEXT_GENERATION) {
            texts = List.of(String.join("\n", texts)); // one prompt
        }
        // a NIP-90 result is one event: refused now, before the customer pays, what could not come back in one
        if (request.kind() == EMBEDDING && texts.size() > MAX_EMBEDDING_TEXTS) {
            return new Mapping.Refused("too_large", "at most " + MAX_EMBEDDING_TEXTS
                    + " texts per embedding request: their vectors must fit one result event");
        }
        long bytes = texts.stream().mapToLong(t -> t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
        if (bytes > MAX_INPUT_BYTES) {
            return new Mapping.Refused("too_large", "at most " + MAX_INPUT_BYTES
                    + " bytes of input: the result must fit one event");
        }
        String model = request.params().getOrDefault("model", defaultModels.getOrDefault(request.kind(), ""));
        if (model.isEmpty()) {
            return new Mapping.Refused("no_capable_node", "no model for kind " + request.kind());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : forwardedParams(request.kind())) {
            String value = request.params().get(name);
            if (value != null) {
                if (!value.matches("[0-9]{1,6}(\\.[0-9]{1,6})?")) {
                    return new Mapping.Refused("malformed", "param " + name + " must be a number, got " + value);
                }
                params.put(name, value);
            }
        }
        return new Mapping.Job(new JobSubmission(model, task, texts, params, maxPrice,
                new JobRequest.Constraints(nodes, java.util.Set.of(), ""), PaymentTiming.EXTERNAL, deliverWithin));
    }

    private Nip90Tasks() {
    }
}
