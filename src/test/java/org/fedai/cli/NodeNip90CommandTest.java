package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.relay.EmbeddedRelay;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.protocol.nip90.Nip90Encryption;
import org.fedai.protocol.nip90.Nip90Input;
import org.fedai.protocol.nip90.Nip90RequestCodec;
import org.fedai.protocol.nip90.Nip90Status;
import org.fedai.roles.nip90.Nip90Customer;
import org.fedai.roles.nip90.Nip90Tasks;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedai node --nip90}: a node whose operator runs no router serves a NIP-90 customer through a router and a
 * gateway of its own, and only itself: a cheaper node on the same relay gets neither the job nor the money.
 */
@RelayTest
class NodeNip90CommandTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long FUNDS = 1_000_000;

    @TempDir
    Path dir;

    private record Running(NodeCommand command, StringWriter out, CompletableFuture<Integer> exit) {
        void stop() throws Exception {
            command.stop();
            assertThat(exit.get(30, TimeUnit.SECONDS)).as(out.toString()).isZero();
        }
    }

    private Running node(EmbeddedRelay relay, KeyPair keys, String nodeId, long price, String... extra) {
        NodeCommand command = new NodeCommand();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        List<String> args = new java.util.ArrayList<>(List.of("--relay", relay.url(), "--key", keys.nsec(),
                "--node-id", nodeId, "--price-msat-per-text", Long.toString(price), "--min-price-msat", "1",
                "--db", dir.resolve(nodeId + ".db").toString(), "--wallet-db", dir.resolve("wallet.db").toString()));
        args.addAll(List.of(extra));
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        // a thread each: the common pool may have one worker on two cores, and a node runs until stopped
        Thread.ofPlatform().daemon().name(nodeId).start(() -> exit.complete(cli.execute(args.toArray(String[]::new))));
        return new Running(command, out, exit);
    }

    /** A plain 5700 request whose {@code p} tag names {@code provider}. */
    private static Event addressed(Nip90Customer customer, String provider, String text, OptionalLong bid) {
        return EventSigner.sign(Nip90RequestCodec.encode(Nip90Tasks.EMBEDDING, List.of(Nip90Input.text(text)), Map.of(),
                "", bid, List.of(), List.of(provider), Nip90Encryption.NONE, customer.keys(),
                System.currentTimeMillis() / 1000), customer.keys());
    }

    @Test
    void aNodeAloneServesAPaidNip90RequestThroughItsOwnRouterAndNoOtherNode() throws Exception {
        KeyPair soloKeys = KeyPair.generate();
        try (EmbeddedRelay relay = EmbeddedRelay.inMemory().start();
                DevWalletNetwork wallets = DevWalletNetwork.open(dir.resolve("wallet.db"))) {
            KeyPair cheaperKeys = KeyPair.generate();
            Running cheaper = node(relay, cheaperKeys, "cheaper", 100);
            Running solo = node(relay, soloKeys, "solo", 900, "--nip90", "--nip90-db", dir.resolve("nip90.db").toString());
            try {
                await().atMost(WAIT).failFast(() -> solo.exit().isDone() || cheaper.exit().isDone())
                        .until(() -> cheaper.out().toString().contains("node id     cheaper"));
                await().atMost(WAIT).failFast(() -> solo.exit().isDone())
                        .until(() -> solo.out().toString().contains("nip90       gateway"));
            } catch (RuntimeException notStarted) {
                throw new AssertionError("the nodes did not start:\n" + cheaper.out() + "\n" + solo.out(), notStarted);
            }
            assertThat(solo.out().toString()).contains("own router  "
                    + org.fedai.nostr.Nip19.encodeNpub(SoloNip90Service.routerKeys(soloKeys).publicKey()));

            var customerWallet = wallets.wallet("customer", Sha256.hash("customer".getBytes(StandardCharsets.UTF_8)));
            wallets.deposit("customer", FUNDS);
            try (RelayPool pool = new RelayPool();
                    Nip90Customer customer = new Nip90Customer(KeyPair.generate(), pool, customerWallet)) {
                pool.addRelay(relay.url());
                // addressed to the other node only: not this gateway's to answer (the gateway takes requests one
                // at a time, in order, so by the time the later ones are answered this one was passed over)
                String foreign = customer.post(addressed(customer, cheaperKeys.publicKey(), "for the other node",
                        OptionalLong.empty()));
                String plain = customer.post(Nip90Tasks.EMBEDDING, List.of("a node alone", "serves two texts"),
                        Map.of(), OptionalLong.empty(), Nip90Encryption.NONE, "");
                String named = customer.post(addressed(customer, soloKeys.publicKey(), "addressed to the node",
                        OptionalLong.of(5_000)));
                await().atMost(WAIT).until(() -> customer.result(plain) != null && customer.result(named) != null);

                assertThat(customer.statuses(foreign)).isEmpty();
                assertThat(customer.result(foreign)).isNull();
                assertThat(customer.result(plain).content()).startsWith("[[");
                assertThat(customer.result(plain).amountMsat()).hasValue(1800);
                assertThat(customer.result(named).amountMsat()).hasValue(900);
                await().atMost(WAIT).until(() -> customer.statuses(plain).contains(Nip90Status.SUCCESS));
                assertThat(customer.statuses(plain)).containsSubsequence(Nip90Status.PROCESSING,
                        Nip90Status.PAYMENT_REQUIRED, Nip90Status.SUCCESS);
                // peer to peer, to the node alone: the cheaper node and the own router's fee account got nothing
                assertThat(wallets.balance("solo")).isEqualTo(2700);
                assertThat(wallets.balance("cheaper")).isZero();
                assertThat(wallets.balance("customer")).isEqualTo(FUNDS - 2700);
            }
            solo.stop();
            cheaper.stop();
            assertThat(solo.out().toString().lines().filter(l -> l.startsWith("job ") && l.contains(" done ")).count())
                    .as(solo.out().toString()).isEqualTo(2);
        }
    }
}
