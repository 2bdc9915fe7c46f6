package org.fedai.nostr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one shared Jackson setup: thread-safe, with read limits sized for relay traffic. */
public final class Json {

    /** No Nostr message needs deeper nesting than this; it bounds hostile input. */
    public static final int MAX_NESTING = 64;

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(16 * 1024 * 1024)
                    .maxNumberLength(40)
                    .build())
            .build();

    public static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY).build();

    private Json() {
    }
}
