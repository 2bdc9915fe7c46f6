package org.fedai.runner;

/** Collects generated text while forwarding each delta to the caller's sink, numbering them. */
final class TextStream {

    private final StreamSink sink;
    private final StringBuilder text = new StringBuilder();
    private int deltas;

    TextStream(StreamSink sink) {
        this.sink = sink;
    }

    void append(String delta) throws RunFailedException {
        if (delta.isEmpty()) {
            return;
        }
        text.append(delta);
        try {
            sink.accept(new StreamChunk.TextDelta(deltas, delta));
        } catch (RuntimeException e) {
            throw new RunFailedException(FailureReason.CANCELLED, "stream consumer stopped the run: " + e.getMessage(), e);
        }
        deltas++;
    }

    String text() {
        return text.toString();
    }

    /** Number of non-empty deltas: a rough token count when the server reports none. */
    int deltas() {
        return deltas;
    }
}
