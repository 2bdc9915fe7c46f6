package org.fedai.nostr;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A NIP-01 filter. Empty sets mean "any"; {@code since}, {@code until} and {@code limit} are null when absent.
 * Tag conditions are keyed by the single-letter tag name without its '#'.
 */
public record Filter(Set<String> ids, Set<String> authors, Set<Integer> kinds, Map<String, Set<String>> tags,
        Long since, Long until, Integer limit) {

    public Filter {
        ids = ids == null ? Set.of() : Set.copyOf(ids);
        authors = authors == null ? Set.of() : Set.copyOf(authors);
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        if (tags != null) {
            tags.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
        }
        tags = java.util.Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean matches(Event event) {
        if (!ids.isEmpty() && !ids.contains(event.id())) {
            return false;
        }
        if (!authors.isEmpty() && !authors.contains(event.pubkey())) {
            return false;
        }
        if (!kinds.isEmpty() && !kinds.contains(event.kind())) {
            return false;
        }
        if (since != null && event.createdAt() < since) {
            return false;
        }
        if (until != null && event.createdAt() > until) {
            return false;
        }
        for (Map.Entry<String, Set<String>> condition : tags.entrySet()) {
            if (!hasTag(event, condition.getKey(), condition.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasTag(Event event, String name, Set<String> values) {
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 2 && tag.get(0).equals(name) && values.contains(tag.get(1))) {
                return true;
            }
        }
        return false;
    }

    public Filter withSince(Long newSince) {
        return new Filter(ids, authors, kinds, tags, newSince, until, limit);
    }

    public Filter withUntil(Long newUntil) {
        return new Filter(ids, authors, kinds, tags, since, newUntil, limit);
    }

    public Filter withLimit(Integer newLimit) {
        return new Filter(ids, authors, kinds, tags, since, until, newLimit);
    }

    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (!ids.isEmpty()) {
            stringArray(g, "ids", ids);
        }
        if (!authors.isEmpty()) {
            stringArray(g, "authors", authors);
        }
        if (!kinds.isEmpty()) {
            g.writeArrayFieldStart("kinds");
            for (int k : kinds.stream().sorted().toList()) {
                g.writeNumber(k);
            }
            g.writeEndArray();
        }
        for (Map.Entry<String, Set<String>> t : tags.entrySet()) {
            stringArray(g, "#" + t.getKey(), t.getValue());
        }
        if (since != null) {
            g.writeNumberField("since", since);
        }
        if (until != null) {
            g.writeNumberField("until", until);
        }
        if (limit != null) {
            g.writeNumberField("limit", limit);
        }
        g.writeEndObject();
    }

    private static void stringArray(JsonGenerator g, String name, Set<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values.stream().sorted().toList()) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    public static Filter parse(String json) throws MalformedEventException {
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("filter is not a JSON object");
            }
            return read(p);
        } catch (IOException e) {
            throw new MalformedEventException("malformed filter JSON: " + EventJson.firstLine(e.getMessage()), e);
        }
    }

    /** Reads one filter object; the parser must be on its START_OBJECT. Unknown keys (e.g. NIP-50 search) are skipped. */
    public static Filter read(JsonParser p) throws IOException, MalformedEventException {
        Builder b = builder();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "ids" -> b.ids.addAll(strings(p, value, field));
                case "authors" -> b.authors.addAll(strings(p, value, field));
                case "kinds" -> b.kinds.addAll(ints(p, value));
                case "since" -> b.since = nonNegative(p, value, field);
                case "until" -> b.until = nonNegative(p, value, field);
                case "limit" -> b.limit = (int) Math.min(Integer.MAX_VALUE, nonNegative(p, value, field));
                default -> {
                    if (field.length() == 2 && field.charAt(0) == '#') {
                        b.tags.computeIfAbsent(field.substring(1), k -> new HashSet<>())
                                .addAll(strings(p, value, field));
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new MalformedEventException("filter object is not closed");
        }
        return b.build();
    }

    private static List<String> strings(JsonParser p, JsonToken token, String field) throws IOException,
            MalformedEventException {
        if (token != JsonToken.START_ARRAY) {
            throw new MalformedEventException(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
            out.add(p.getText());
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedEventException(field + " must be an array of strings");
        }
        return out;
    }

    private static List<Integer> ints(JsonParser p, JsonToken token) throws IOException, MalformedEventException {
        if (token != JsonToken.START_ARRAY) {
            throw new MalformedEventException("kinds must be an array of integers");
        }
        List<Integer> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.VALUE_NUMBER_INT) {
            long k = p.getLongValue();
            if (k < 0 || k > 65535) {
                throw new MalformedEventException("kinds must be 0..65535");
            }
            out.add((int) k);
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedEventException("kinds must be an array of integers");
        }
        return out;
    }

    private static long nonNegative(JsonParser p, JsonToken token, String field) throws IOException,
            MalformedEventException {
        if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < 0) {
            throw new MalformedEventException(field + " must be a non-negative integer");
        }
        return p.getLongValue();
    }

    /** Mutable builder; {@code tag('p', pubkey)} adds a #p condition. */
    public static final class Builder {
        private final Set<String> ids = new HashSet<>();
        private final Set<String> authors = new HashSet<>();
        private final Set<Integer> kinds = new HashSet<>();
        private final Map<String, Set<String>> tags = new LinkedHashMap<>();
        private Long since;
        private Long until;
        private Integer limit;

        public Builder ids(String... values) {
            ids.addAll(List.of(values));
            return this;
        }

        public Builder authors(String... values) {
            authors.addAll(List.of(values));
            return this;
        }

        public Builder kinds(Integer... values) {
            kinds.addAll(List.of(values));
            return this;
        }

        public Builder tag(char name, String... values) {
            tags.computeIfAbsent(String.valueOf(name), k -> new HashSet<>()).addAll(List.of(values));
            return this;
        }

        public Builder since(long value) {
            since = value;
            return this;
        }

        public Builder until(long value) {
            until = value;
            return this;
        }

        public Builder limit(int value) {
            limit = value;
            return this;
        }

        public Filter build() {
            return new Filter(ids, authors, kinds, tags, since, until, limit);
        }
    }
}
