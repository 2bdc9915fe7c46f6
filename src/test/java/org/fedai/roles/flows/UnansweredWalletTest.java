package org.fedai.roles.flows;

import org.fedai.domain.Msat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.TEXTS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.JobRequest;
import org.fedai.roles.client.ClientConfig;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.JobSubmission;
import org.fedai.runner.EmbeddedRunner;
import org.fedai.store.ClientJournal;
import org.fedai.testing.RelayTest;
import org.fedai.testing.UnreachableWallet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client whose wallet gives no answer to its first pay requests (a wallet restarting, its relay down): the
 * client asks again with backoff under the job's deadline instead of failing the job, and the job completes, paid
 * exactly once. Invariant "a client that pays ends with the result or its money"; "no invoice is paid twice".
 */
@RelayTest
class UnansweredWalletTest extends FlowTest {

    @ParameterizedTest
    @EnumSource(value = PaymentTiming.class, names = {"BEFORE", "AFTER", "HOLD"})
    void unansweredPaysAreAskedAgainAndTheJobCompletesPaidOnce(PaymentTiming timing) throws Exception {
        try (FlowMarket m = new FlowMarket(dir, model, Duration.ofMillis(200))) {
            m.wallets.deposit("flaky", CLIENT_FUNDS);
            UnreachableWallet wallet = new UnreachableWallet(m.wallets.wallet("flaky")).unansweredPays(2);
            try (ClientRole client = new ClientRole(ClientConfig.of(KeyPair.generate(),
                    PublicKey.of(m.routerKeys.publicKey())), m.newPool(), wallet, ClientJournal.inMemory()).start()) {
                JobOutcome out = client.submit(new JobSubmission(EmbeddedRunner.EMBEDDING_MODEL, "embedding", TEXTS,
                        Map.of(), Msat.of(100_000), JobRequest.Constraints.none(), timing, 30))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);

                assertThat(out.succeeded()).as(out.failure()).isTrue();
                assertThat(wallet.unansweredSoFar()).isEqualTo(2);
                assertThat(m.balance("flaky")).as("paid once: node and fee")
                        .isEqualTo(CLIENT_FUNDS - out.nodePrice().value() - out.routerFee().value());
            }
        }
    }
}
