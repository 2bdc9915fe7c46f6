package org.fedai.nostr.pool;

/**
 * A relay the pool tests can run against: the scripted one here, later the embedded relay and a third-party
 * one. {@link #start()} after {@link #stop()} brings it back on the same URL with its stored events.
 */
public interface TestRelay extends AutoCloseable {

    String url();

    void start() throws Exception;

    void stop() throws Exception;

    @Override
    default void close() throws Exception {
        stop();
    }
}
