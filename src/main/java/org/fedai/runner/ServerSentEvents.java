package org.fedai.runner;

import java.util.Optional;

/**
 * The data side of a text/event-stream (WHATWG HTML, "Server-sent events"): fed line by line, it
 * returns an event's data when the blank line that ends the event arrives. Comments and the
 * event/id/retry fields carry nothing an OpenAI-style stream needs, so they are skipped.
 */
final class ServerSentEvents {

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    Optional<String> feed(String line) {
        if (line.isEmpty()) {
            if (!hasData) {
                return Optional.empty();
            }
            String event = data.toString();
            data.setLength(0);
            hasData = false;
            return Optional.of(event);
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        if (!field.equals("data")) {
            return Optional.empty();
        }
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (hasData) {
            data.append('\n');
        }
        data.append(value);
        hasData = true;
        return Optional.empty();
    }
}
