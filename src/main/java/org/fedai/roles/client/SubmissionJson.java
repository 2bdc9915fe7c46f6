package org.fedai.roles.client;

import org.fedai.domain.Msat;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Json;
import org.fedai.protocol.JobRequest;

/**
 * A {@link JobSubmission} as the client journal keeps it: a local format, never sent anywhere. With the time
 * the spec was made it is enough to rebuild the spec byte for byte ({@link ClientJob#specOf}), so a restarted
 * client checks quotes and re-sends the input exactly as the first run would have.
 */
final class SubmissionJson {

    private SubmissionJson() {
    }

    static String write(JobSubmission s) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", s.model()).put("task", s.task()).put("max_price_msat", s.maxPrice().value())
                .put("timing", s.timing().code()).put("deliver_within_s", s.deliverWithinSeconds());
        s.texts().forEach(root.putArray("texts")::add);
        ObjectNode params = root.putObject("params");
        s.params().forEach(params::put);
        ObjectNode c = root.putObject("constraints");
        s.constraints().allowNodes().stream().sorted().forEach(c.putArray("allow")::add);
        s.constraints().denyNodes().stream().sorted().forEach(c.putArray("deny")::add);
        c.put("locality", s.constraints().locality());
        return root.toString();
    }

    /** @throws IllegalArgumentException when the stored text is not a submission this class wrote */
    static JobSubmission read(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            List<String> texts = new ArrayList<>();
            root.path("texts").forEach(t -> texts.add(t.asText()));
            Map<String, String> params = new LinkedHashMap<>();
            root.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            JsonNode c = root.path("constraints");
            JobRequest.Constraints constraints = new JobRequest.Constraints(strings(c.path("allow")),
                    strings(c.path("deny")), c.path("locality").asText(""));
            return new JobSubmission(root.path("model").asText(), root.path("task").asText(), texts, params,
                    Msat.of(root.path("max_price_msat").asLong()), constraints,
                    PaymentTiming.valueOf(root.path("timing").asText().toUpperCase(Locale.ROOT)),
                    root.path("deliver_within_s").asLong());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a journaled submission: " + e.getMessage(), e);
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
