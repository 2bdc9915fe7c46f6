package org.fedai.nostr;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * NIP-01 wire messages, both directions (https://github.com/nostr-protocol/nips/blob/master/01.md).
 * Parsing is strict about the shapes it knows and names what was wrong; it never verifies signatures.
 */
public final class Nip01Messages {

    /** NIP-01 leaves it to relays; 64 is what strfry and most relays accept. */
    public static final int MAX_SUBSCRIPTION_ID_LENGTH = 64;

    private Nip01Messages() {
    }

    public static RelayMessage parseRelayMessage(String json) throws MalformedEventException {
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            String type = openArray(p);
            RelayMessage message = switch (type) {
                case "EVENT" -> {
                    String sub = string(p, "subscription id");
                    yield new RelayMessage.EventMessage(sub, event(p));
                }
                case "OK" -> {
                    String id = string(p, "event id");
                    if (p.nextToken() != JsonToken.VALUE_TRUE && p.currentToken() != JsonToken.VALUE_FALSE) {
                        throw new MalformedEventException("OK needs a boolean");
                    }
                    boolean accepted = p.currentToken() == JsonToken.VALUE_TRUE;
                    yield new RelayMessage.Ok(id, accepted, optionalString(p));
                }
                case "EOSE" -> new RelayMessage.Eose(string(p, "subscription id"));
                case "CLOSED" -> new RelayMessage.Closed(string(p, "subscription id"), optionalString(p));
                case "NOTICE" -> new RelayMessage.Notice(string(p, "notice"));
                case "AUTH" -> new RelayMessage.AuthChallenge(string(p, "challenge"));
                default -> throw new MalformedEventException("unknown relay message type: " + type);
            };
            skipRest(p);
            return message;
        } catch (IOException e) {
            throw new MalformedEventException("malformed JSON: " + EventJson.firstLine(e.getMessage()), e);
        }
    }

    public static ClientMessage parseClientMessage(String json) throws MalformedEventException {
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            String type = openArray(p);
            ClientMessage message = switch (type) {
                case "EVENT" -> new ClientMessage.Publish(event(p));
                case "REQ" -> {
                    String sub = subscriptionId(p);
                    List<Filter> filters = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        filters.add(Filter.read(p));
                    }
                    if (p.currentToken() != JsonToken.END_ARRAY) {
                        throw new MalformedEventException("REQ filters must be objects");
                    }
                    if (filters.isEmpty()) {
                        throw new MalformedEventException("REQ needs at least one filter");
                    }
                    yield new ClientMessage.Req(sub, filters);
                }
                case "CLOSE" -> new ClientMessage.Close(subscriptionId(p));
                case "AUTH" -> new ClientMessage.Auth(event(p));
                default -> throw new MalformedEventException("unknown message type: " + type);
            };
            if (!(message instanceof ClientMessage.Req)) {
                skipRest(p);
            }
            return message;
        } catch (IOException e) {
            throw new MalformedEventException("malformed JSON: " + EventJson.firstLine(e.getMessage()), e);
        }
    }

    public static String toJson(ClientMessage message) {
        return write(g -> {
            switch (message) {
                case ClientMessage.Publish m -> {
                    g.writeString("EVENT");
                    EventJson.write(g, m.event());
                }
                case ClientMessage.Req m -> {
                    g.writeString("REQ");
                    g.writeString(m.subscriptionId());
                    for (Filter f : m.filters()) {
                        f.write(g);
                    }
                }
                case ClientMessage.Close m -> {
                    g.writeString("CLOSE");
                    g.writeString(m.subscriptionId());
                }
                case ClientMessage.Auth m -> {
                    g.writeString("AUTH");
                    EventJson.write(g, m.event());
                }
            }
        });
    }

    public static String toJson(RelayMessage message) {
        return write(g -> {
            switch (message) {
                case RelayMessage.EventMessage m -> {
                    g.writeString("EVENT");
                    g.writeString(m.subscriptionId());
                    EventJson.write(g, m.event());
                }
                case RelayMessage.Ok m -> {
                    g.writeString("OK");
                    g.writeString(m.eventId());
                    g.writeBoolean(m.accepted());
                    g.writeString(m.message());
                }
                case RelayMessage.Eose m -> {
                    g.writeString("EOSE");
                    g.writeString(m.subscriptionId());
                }
                case RelayMessage.Closed m -> {
                    g.writeString("CLOSED");
                    g.writeString(m.subscriptionId());
                    g.writeString(m.message());
                }
                case RelayMessage.Notice m -> {
                    g.writeString("NOTICE");
                    g.writeString(m.message());
                }
                case RelayMessage.AuthChallenge m -> {
                    g.writeString("AUTH");
                    g.writeString(m.challenge());
                }
            }
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartArray();
            body.write(g);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String openArray(JsonParser p) throws IOException, MalformedEventException {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw new MalformedEventException("message is not a JSON array");
        }
        if (p.nextToken() != JsonToken.VALUE_STRING) {
            throw new MalformedEventException("message type must be a string");
        }
        return p.getText();
    }

    private static Event event(JsonParser p) throws IOException, MalformedEventException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new MalformedEventException("EVENT needs an event object");
        }
        return EventJson.read(p);
    }

    private static String string(JsonParser p, String what) throws IOException, MalformedEventException {
        if (p.nextToken() != JsonToken.VALUE_STRING) {
            throw new MalformedEventException(what + " must be a string");
        }
        return p.getText();
    }

    private static String subscriptionId(JsonParser p) throws IOException, MalformedEventException {
        String sub = string(p, "subscription id");
        if (sub.isEmpty() || sub.length() > MAX_SUBSCRIPTION_ID_LENGTH) {
            throw new MalformedEventException("subscription id must be 1.." + MAX_SUBSCRIPTION_ID_LENGTH
                    + " characters");
        }
        return sub;
    }

    private static String optionalString(JsonParser p) throws IOException, MalformedEventException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            return "";
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new MalformedEventException("message must be a string");
        }
        return p.getText();
    }

    private static void skipRest(JsonParser p) throws IOException, MalformedEventException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.END_ARRAY) {
            return;
        }
        while ((t = p.nextToken()) != null && t != JsonToken.END_ARRAY) {
            p.skipChildren();
        }
        if (t == null) {
            throw new MalformedEventException("message array is not closed");
        }
    }
}
