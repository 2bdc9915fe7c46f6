package org.fedai.runner;

/** Receives partial output as a run produces it. Throwing from {@link #accept} cancels the run. */
@FunctionalInterface
public interface StreamSink {

    StreamSink DISCARD = chunk -> {
    };

    void accept(StreamChunk chunk);
}
