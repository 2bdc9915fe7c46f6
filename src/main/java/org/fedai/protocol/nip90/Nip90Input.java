package org.fedai.protocol.nip90;

/**
 * One NIP-90 {@code i} tag: the data and how to read it ({@code text}, {@code url}, {@code event}, {@code job}; DVM
 * clients also send {@code prompt} for text generation).
 */
public record Nip90Input(String data, String type, String relay, String marker) {

    public Nip90Input {
        relay = relay == null ? "" : relay;
        marker = marker == null ? "" : marker;
    }

    public static Nip90Input text(String data) {
        return new Nip90Input(data, "text", "", "");
    }

    /** The data is the text itself (no fetching): the only inputs fedai serves. */
    public boolean isText() {
        return type.equals("text") || type.equals("prompt");
    }
}
