package org.fedai.protocol.nip90;

import java.util.List;

/**
 * The NIP-90 request kinds fedai serves and the fedai task each maps to (event-kinds/nip90.md): 5050 text generation
 * from the NIP-90 job-type list, and 5700 embeddings and 5701 chunking, for which that list has no kind.
 */
public final class Nip90Kinds {

    public static final int TEXT_GENERATION = 5050;
    public static final int EMBEDDING = 5700;
    public static final int CHUNKING = 5701;
    public static final List<Integer> SERVED = List.of(TEXT_GENERATION, EMBEDDING, CHUNKING);

    private Nip90Kinds() {
    }

    /** The fedai task (the wire name nodes and manifests use) a kind maps to, "" for one fedai does not serve. */
    public static String task(int kind) {
        return switch (kind) {
            case TEXT_GENERATION -> "chat"; // the 31400 task name of text generation
            case EMBEDDING -> "embedding";
            case CHUNKING -> "chunk";
            default -> "";
        };
    }

    /** The request kind a fedai task is served under, or 0. */
    public static int kindOf(String task) {
        return switch (task) {
            case "text-generation", "chat", "completion" -> TEXT_GENERATION;
            case "embedding" -> EMBEDDING;
            case "chunk" -> CHUNKING;
            default -> 0;
        };
    }
}
