package org.fedai.nostr.pool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.nostr.relay.RelayConfig;
import org.fedai.nostr.relay.SqliteEventStore;
import org.fedai.testing.ThirdPartyRelay;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The relays no test script controls: fedai's embedded relay on SQLite, and CodyTseng's nostr-relay from
 * npm. Each keeps its port and database across {@link TestRelay#stop()} and {@link TestRelay#start()}, so a
 * restart looks to the pool exactly like a production relay going down and coming back.
 */
final class RealRelays {

    private RealRelays() {
    }

    /** Arguments for a {@code @MethodSource}: a name and a factory of started relays. */
    static Stream<Arguments> both() {
        return Stream.of(
                Arguments.of("embedded", (Supplier<TestRelay>) Embedded::started),
                Arguments.of("codytseng-nostr-relay", (Supplier<TestRelay>) ThirdParty::started));
    }

    static final class Embedded implements TestRelay {
        private final Path db;
        private int port;
        private EmbeddedRelay relay;

        private Embedded(Path db) {
            this.db = db;
        }

        static TestRelay started() {
            try {
                Embedded e = new Embedded(Files.createTempFile("fedai-embedded-", ".db"));
                e.start();
                return e;
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public String url() {
            return "ws://127.0.0.1:" + port;
        }

        @Override
        public void start() throws Exception {
            relay = new EmbeddedRelay(RelayConfig.defaults().withPort(port), SqliteEventStore.open(db)).start();
            port = relay.port();
        }

        @Override
        public void stop() {
            if (relay != null) {
                relay.close();
                relay = null;
            }
        }

        @Override
        public void close() throws Exception {
            stop();
            Files.deleteIfExists(db);
        }
    }

    static final class ThirdParty implements TestRelay {
        private final Path dir;
        private int port;
        private ThirdPartyRelay relay;

        private ThirdParty(Path dir) {
            this.dir = dir;
        }

        static TestRelay started() {
            ThirdPartyRelay.assumeAvailable();
            try {
                ThirdParty t = new ThirdParty(Files.createTempDirectory("fedai-third-party-"));
                t.start();
                return t;
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public String url() {
            return "ws://127.0.0.1:" + port;
        }

        @Override
        public void start() throws Exception {
            relay = ThirdPartyRelay.start(port, dir.resolve("relay.db"));
            port = relay.url().getPort();
        }

        @Override
        public void stop() {
            if (relay != null) {
                relay.close();
                relay = null;
            }
        }

        @Override
        public void close() throws Exception {
            stop();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
