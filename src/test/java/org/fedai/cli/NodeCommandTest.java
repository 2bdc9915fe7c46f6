package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.EventListener;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedai node} in-process against an embedded relay: key file, summary, the manifest it publishes. */
@RelayTest
class NodeCommandTest {

    @TempDir
    Path dir;
    EmbeddedRelay relay;

    @BeforeEach
    void start() throws Exception {
        relay = EmbeddedRelay.inMemory().start();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private CliRun node(String... extra) {
        List<String> args = new ArrayList<>(List.of("node", "--relay", relay.url(), "--db",
                dir.resolve("node.db").toString(), "--wallet-db", dir.resolve("wallet.db").toString(),
                "--run-seconds", "1.5"));
        args.addAll(List.of(extra));
        return CliRun.run("", args.toArray(String[]::new));
    }

    @Test
    void withStatsItPrintsItsCountersWhileRunningAndOnStop() {
        CliRun run = node("--key-file", dir.resolve("node.key").toString(), "--stats", "--summary-interval", "0.5");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().filter(l -> l.startsWith("stats node ")).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void createsItsKeyFileAndPublishesItsManifest() throws Exception {
        Path keyFile = dir.resolve("node.key"); // in a folder that exists: a key file never makes folders
        CliRun first = node("--key-file", keyFile.toString(), "--node-id", "cli-node", "--price-msat-per-text", "700");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        KeyPair keys = KeyPair.parse(Files.readString(keyFile).trim());
        assertThat(first.out()).contains("node        " + keys.npub())
                .contains("all-minilm-l6-v2-q (embedding) 700 msat/text").contains("node: stopping");

        List<Event> manifests = stored(Filter.builder().kinds(31400).authors(keys.publicKey()).build());
        assertThat(manifests).hasSize(1);
        CapabilityManifest m = CapabilityManifestCodec.decode(manifests.get(0), Instant.now().getEpochSecond())
                .orElseThrow();
        assertThat(m.nodeId()).isEqualTo("cli-node");
        assertThat(m.prices()).allSatisfy(p -> assertThat(p.msatPerUnit()).isEqualTo(700));
        assertThat(m.relays()).containsExactly(relay.url());

        CliRun again = node("--key-file", keyFile.toString(), "--node-id", "cli-node");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains(keys.npub());
    }

    @Test
    void announcesOnlyThePaymentTimingsItOffers() throws Exception {
        KeyPair keys = KeyPair.generate();
        CliRun run = node("--key", keys.nsec(), "--timing", "before,hold");
        assertThat(run.exitCode()).as(run.err()).isZero();
        CapabilityManifest m = CapabilityManifestCodec.decode(stored(Filter.builder().kinds(31400)
                .authors(keys.publicKey()).build()).get(0), Instant.now().getEpochSecond()).orElseThrow();
        assertThat(m.payment().timing()).containsExactlyInAnyOrder(org.fedai.domain.PaymentTiming.BEFORE,
                org.fedai.domain.PaymentTiming.HOLD);

        CliRun client = CliRun.run("", "client", "submit", "--relay", relay.url(), "--router", keys.publicKey(),
                "--wallet-db", dir.resolve("w.db").toString(), "--timing", "later", "text");
        assertThat(client.exitCode()).isEqualTo(2);
        assertThat(client.err()).contains("'later' is not a payment timing; use one of before|after|hold|atomic|partial");
    }

    @Test
    void badOptionsAreUsageErrors() {
        KeyPair keys = KeyPair.generate();
        assertThat(node("--key", keys.nsec(), "--key-file", dir.resolve("k").toString()).exitCode()).isEqualTo(2);
        assertThat(node("--key", "not-a-key").exitCode()).isEqualTo(2);
        assertThat(node("--key", keys.nsec(), "--runner", "openai").exitCode()).isEqualTo(2);
        assertThat(node("--key", keys.nsec(), "--node-id", "Not Valid").exitCode()).isEqualTo(2);
        CliRun strayModel = node("--key", keys.nsec(), "--nip90-model", "5700=other");
        assertThat(strayModel.exitCode()).isEqualTo(2);
        assertThat(strayModel.err()).contains("--nip90-db and --nip90-model configure --nip90");
        assertThat(node("--key", keys.nsec(), "--nip90-db", dir.resolve("n.db").toString()).exitCode()).isEqualTo(2);
        assertThat(node("--key", keys.nsec(), "--nip90", "--nip90-model", "text-generation=x").exitCode()).isEqualTo(2);
    }

    private List<Event> stored(Filter filter) throws InterruptedException {
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch eose = new CountDownLatch(1);
        try (RelayPool pool = new RelayPool()) {
            pool.addRelay(relay.url());
            pool.subscribe(List.of(filter), new EventListener() {
                @Override
                public void onEvent(Event event, String relayUrl) {
                    events.add(event);
                }

                @Override
                public void onEose(String relayUrl) {
                    eose.countDown();
                }
            });
            assertThat(eose.await(10, TimeUnit.SECONDS)).isTrue();
        }
        return new ArrayList<>(events);
    }
}
