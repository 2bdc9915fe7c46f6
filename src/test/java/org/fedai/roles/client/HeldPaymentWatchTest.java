package org.fedai.roles.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentSent;
import org.fedai.store.ClientJournal;
import org.fedai.store.InvoiceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's watch on a payment locked in a node's hold invoice, against a real dev wallet ledger in which the
 * client's payment is held and not yet settled. The wallet's settlement report ({@code payment_sent}) can come while
 * no wait is registered (a lookup sent before the node settled is still on its way): it must answer the next wait at
 * once rather than be dropped and leave the job to its next poll (two relay hops over NWC, issue 17).
 */
class HeldPaymentWatchTest {

    private static final long PRICE = 3_000;

    @TempDir
    Path dir;
    private DevWalletNetwork network;
    private DevWallet client;
    private ClientJournal journal;
    private ClientThreads threads;
    private final BlockingQueue<ClientInput> fed = new LinkedBlockingQueue<>();
    private final byte[] preimage = new byte[32];
    private ClientAction.LookUpLater asked;

    @BeforeEach
    void payIntoAHoldInvoice() {
        network = DevWalletNetwork.open(dir.resolve("wallets.db"));
        client = network.wallet("client", KeyPair.generate().secretKey());
        DevWallet node = network.wallet("node", KeyPair.generate().secretKey());
        network.deposit("client", 100_000);
        journal = ClientJournal.open(dir.resolve("client.db"));
        threads = ClientThreads.start();
        new SecureRandom().nextBytes(preimage);
        byte[] hash = Sha256.hash(preimage);
        InvoiceResult.Created invoice = (InvoiceResult.Created) node.makeHoldInvoice(
                InvoiceRequest.forJob(PRICE, new JobBinding("cd".repeat(32)), 600), hash);
        assertThat(client.pay(invoice.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Pending.class);
        asked = new ClientAction.LookUpLater(ClientAction.Payee.NODE, invoice.bolt11(), Msat.of(PRICE),
                Hex.encode(hash), invoice.expiresAt());
    }

    @AfterEach
    void close() {
        threads.close();
        journal.close();
        network.close();
    }

    @Test
    void aReportThatCameWhileNoWaitWasRegisteredAnswersTheNextWaitWithItsPreimage() throws InterruptedException {
        HeldPaymentWatch watch = watch();
        watch.onSent(new PaymentSent(Hex.decode(asked.paymentHashHex()), preimage));

        watch.lookUpLater(null, asked);

        // the wallet still holds the payment (the node has not settled in it), so only the report can say settled
        LookupResult.Found found = answer();
        assertThat(found.state()).isEqualTo(InvoiceState.SETTLED);
        assertThat(found.preimage()).hasValueSatisfying(p -> assertThat(p).isEqualTo(preimage));
    }

    @Test
    void withoutAReportTheWaitAsksTheWalletWhichShowsThePaymentHeld() throws InterruptedException {
        HeldPaymentWatch watch = watch();
        watch.onSent(new PaymentSent(Sha256.hash(new byte[] {1}), new byte[] {1})); // another payment's report

        watch.lookUpLater(null, asked);

        assertThat(answer().state()).isEqualTo(InvoiceState.HELD);
    }

    @Test
    void aReportAnswersAWaitingJobOnce() throws InterruptedException {
        HeldPaymentWatch watch = watch();
        watch.lookUpLater(null, asked);

        watch.onSent(new PaymentSent(Hex.decode(asked.paymentHashHex()), preimage));

        assertThat(answer().state()).isEqualTo(InvoiceState.SETTLED);
        // the poll that was due finds the wait answered: the next thing fed is the marker below, not a second answer
        watch.lookUpLater(null, new ClientAction.LookUpLater(ClientAction.Payee.NODE, asked.bolt11(), asked.amount(),
                "ee".repeat(32), asked.expiresAt()));
        ClientInput.LookedUp next = (ClientInput.LookedUp) fed.poll(10, TimeUnit.SECONDS);
        assertThat(next).isNotNull();
        assertThat(next.asked().paymentHashHex()).isEqualTo("ee".repeat(32));
    }

    private LookupResult.Found answer() throws InterruptedException {
        ClientInput input = fed.poll(10, TimeUnit.SECONDS);
        assertThat(input).isInstanceOf(ClientInput.LookedUp.class);
        ClientInput.LookedUp looked = (ClientInput.LookedUp) input;
        assertThat(looked.asked()).isEqualTo(asked);
        assertThat(looked.found()).isPresent();
        return looked.found().get();
    }

    private HeldPaymentWatch watch() {
        return new HeldPaymentWatch(new FeedOnly(), new ClientPayer(client, journal, InstantSource.system()), threads);
    }

    /** Only {@code feed} is what the watch may use. */
    private final class FeedOnly implements ClientSteps {
        @Override
        public ClientConfig config() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long now() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void progress(JobId jobId, String step) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void count(String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void feed(ClientJob job, ClientInput input) {
            fed.add(input);
        }

        @Override
        public void replay(Event event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void tryNextRouter(ClientJob job) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ExternalPayer outsidePayer() {
            throw new UnsupportedOperationException();
        }
    }
}
