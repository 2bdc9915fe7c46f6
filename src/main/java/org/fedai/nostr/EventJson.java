package org.fedai.nostr;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Event <-> wire JSON with Jackson's streaming API: strict about types, silent about unknown fields. */
public final class EventJson {

    private EventJson() {
    }

    public static Event parse(String json) throws MalformedEventException {
        try (JsonParser parser = Json.FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("event is not a JSON object");
            }
            Event event = read(parser);
            if (parser.nextToken() != null) {
                throw new MalformedEventException("trailing data after event");
            }
            return event;
        } catch (IOException e) {
            throw new MalformedEventException("malformed JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /** Reads one event object; the parser must be on its START_OBJECT and is left on its END_OBJECT. */
    public static Event read(JsonParser p) throws IOException, MalformedEventException {
        String id = null;
        String pubkey = null;
        String sig = null;
        String content = null;
        Long createdAt = null;
        Integer kind = null;
        List<List<String>> tags = null;
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = text(p, value, "id");
                case "pubkey" -> pubkey = text(p, value, "pubkey");
                case "sig" -> sig = text(p, value, "sig");
                case "content" -> content = text(p, value, "content");
                case "created_at" -> createdAt = integer(p, value, "created_at");
                case "kind" -> {
                    long k = integer(p, value, "kind");
                    if (k > 65535) {
                        throw new MalformedEventException("kind must be 0..65535");
                    }
                    kind = (int) k;
                }
                case "tags" -> tags = tags(p, value);
                default -> p.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new MalformedEventException("event object is not closed");
        }
        if (id == null || pubkey == null || sig == null || content == null || createdAt == null || kind == null
                || tags == null) {
            throw new MalformedEventException("event lacks one of id, pubkey, created_at, kind, tags, content, sig");
        }
        return new Event(id, pubkey, createdAt, kind, tags, content, sig);
    }

    private static String text(JsonParser p, JsonToken token, String field) throws IOException,
            MalformedEventException {
        if (token != JsonToken.VALUE_STRING) {
            throw new MalformedEventException(field + " must be a string");
        }
        return p.getText();
    }

    private static long integer(JsonParser p, JsonToken token, String field) throws IOException,
            MalformedEventException {
        if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new MalformedEventException(field + " must be a non-negative integer");
        }
        long v = p.getLongValue();
        if (v < 0) {
            throw new MalformedEventException(field + " must be a non-negative integer");
        }
        return v;
    }

    private static List<List<String>> tags(JsonParser p, JsonToken token) throws IOException, MalformedEventException {
        if (token != JsonToken.START_ARRAY) {
            throw new MalformedEventException("tags must be an array of arrays of strings");
        }
        List<List<String>> tags = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_ARRAY) {
            List<String> tag = new ArrayList<>(4);
            JsonToken v;
            while ((v = p.nextToken()) == JsonToken.VALUE_STRING) {
                tag.add(p.getText());
            }
            if (v != JsonToken.END_ARRAY) {
                throw new MalformedEventException("tag values must be strings");
            }
            tags.add(tag);
        }
        if (t != JsonToken.END_ARRAY) {
            throw new MalformedEventException("tags must be an array of arrays of strings");
        }
        return tags;
    }

    public static String toJson(Event event) {
        StringWriter out = new StringWriter(256 + event.content().length());
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            write(g, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(JsonGenerator g, Event event) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", event.id());
        g.writeStringField("pubkey", event.pubkey());
        g.writeNumberField("created_at", event.createdAt());
        g.writeNumberField("kind", event.kind());
        g.writeArrayFieldStart("tags");
        for (List<String> tag : event.tags()) {
            g.writeStartArray();
            for (String value : tag) {
                g.writeString(value);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeStringField("content", event.content());
        g.writeStringField("sig", event.sig());
        g.writeEndObject();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
