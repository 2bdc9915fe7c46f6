package org.fedai.cli;

import org.fedai.domain.Msat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.payment.DevWallet;
import org.fedai.protocol.JobRequest;
import org.fedai.roles.client.ClientConfig;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.JobSubmission;
import org.fedai.store.ClientJournal;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Relay loss mid-payment": the only relay goes away right after the client paid, and stays away longer than
 * the client's publish deadline, so the pool's own resend-on-reconnect gives up on the proof. The client keeps
 * re-publishing it; when the relay is back (same port, same SQLite store) the proof arrives, the work is
 * ordered and delivered, and nothing was paid twice.
 */
@RelayTest
class RelayLossMidPaymentTest {

    @TempDir
    Path dir;

    @Test
    void theProofStillArrivesWhenTheRelayComesBack() throws Exception {
        try (LiveMarket market = new LiveMarket(dir)) {
            KeyPair keys = KeyPair.generate();
            DevWallet wallet = market.wallets.wallet("client", KeyPair.generate().secretKey());
            market.wallets.deposit("client", 1_000_000);
            try (ClientJournal journal = ClientJournal.open(dir.resolve("client.db"));
                    ClientRole client = new ClientRole(new ClientConfig(keys, java.util.List.of(PublicKey.of(market.routerKeys.publicKey())),
                            Duration.ofSeconds(5), Duration.ofSeconds(1), InstantSource.system()), market.pool(), wallet, journal)) {
                // the step between the journaled payment and the proof: the relay falls over right there
                client.onProgress((job, step) -> {
                    if (step.contains("and journaled; proving")) {
                        market.stopRelay();
                    }
                });
                client.start();
                JobSubmission submission = new JobSubmission(LiveMarket.MODEL, "chunk",
                        List.of("a text paid for while the relay fell over"), Map.of(), Msat.of(100_000),
                        JobRequest.Constraints.none(), PaymentTiming.BEFORE, 60);
                var outcome = client.submit(submission);

                // past the publish deadline with the relay down: the client itself is trying again
                await().atMost(LiveMarket.WAIT).until(() ->
                        client.rejections().getOrDefault("proof_not_taken_retrying", 0L) >= 1);
                assertThat(market.paidBy("client")).hasSize(2);
                assertThat(market.router.activity().get("4404:paid")).isZero();
                market.startRelay();

                JobOutcome done = outcome.get(2 * LiveMarket.WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(done.succeeded()).as(done.failure()).isTrue();
                assertThat(done.output()).contains("a text paid for while the relay fell over");
                assertThat(market.router.activity().get("4404:paid")).isEqualTo(1);
                assertThat(market.paidBy("client")).hasSize(2); // the node's invoice and the fee, once each
                assertThat(done.paid().value()).isEqualTo(done.nodePrice().value() + done.routerFee().value());
            }
        }
    }
}
