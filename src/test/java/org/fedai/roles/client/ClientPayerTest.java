package org.fedai.roles.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.OptionalLong;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.PayResult;
import org.fedai.store.ClientJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's payer against a real dev wallet ledger, with a restart played as a new payer on the same journal
 * file. Invariants: "no invoice is paid twice" and "a client that pays ends with its preimage": a payment the wallet
 * made but the journal never heard of is found by lookup, not paid again and not lost.
 */
class ClientPayerTest {

    private static final long PRICE = 2_000;
    private static final long FUNDS = 100_000;

    @TempDir
    Path dir;
    private DevWalletNetwork network;
    private DevWallet client;
    private DevWallet node;
    private ClientJournal journal;
    private final JobId jobId = JobId.of("ab".repeat(32));

    @BeforeEach
    void open() {
        network = DevWalletNetwork.open(dir.resolve("wallets.db"));
        client = network.wallet("client", KeyPair.generate().secretKey());
        node = network.wallet("node", KeyPair.generate().secretKey());
        network.deposit("client", FUNDS);
        journal = ClientJournal.open(dir.resolve("client.db"));
    }

    @AfterEach
    void close() {
        journal.close();
        network.close();
    }

    private ClientPayer payer() {
        return new ClientPayer(client, journal, InstantSource.system());
    }

    private String invoice() {
        return ((InvoiceResult.Created) node.makeInvoice(InvoiceRequest.forJob(PRICE, new JobBinding(jobId.hex()), 600)))
                .bolt11();
    }

    @Test
    void aPaymentTheWalletMadeButTheJournalNeverHeardOfIsFoundByLookupNotPaidAgain() {
        String bolt11 = invoice();
        // the crash: the attempt was journaled and the wallet paid, then the client died before the preimage
        journal.recordAttempt(new ClientJournal.PaymentAttempt(jobId, bolt11, hashOf(bolt11), Msat.of(PRICE), 1));
        PayResult.Paid paidByTheWallet = (PayResult.Paid) client.pay(bolt11, OptionalLong.empty());
        assertThat(journal.unsettledAttempts(jobId)).hasSize(1);

        PayResult again = payer().pay(jobId, bolt11, Msat.of(PRICE));

        assertThat(again).isInstanceOfSatisfying(PayResult.Paid.class,
                p -> assertThat(p.preimage()).isEqualTo(paidByTheWallet.preimage()));
        assertThat(journal.payment(bolt11)).hasValueSatisfying(
                p -> assertThat(p.preimage()).isEqualTo(Hex.encode(paidByTheWallet.preimage())));
        assertThat(journal.unsettledAttempts(jobId)).isEmpty();
        assertThat(network.balance("client")).as("paid once").isEqualTo(FUNDS - PRICE);
    }

    @Test
    void anInvoiceIsJournaledAsAttemptedBeforeTheWalletIsAskedAndSettledAfter() {
        String bolt11 = invoice();
        assertThat(payer().pay(jobId, bolt11, Msat.of(PRICE))).isInstanceOf(PayResult.Paid.class);
        assertThat(journal.unsettledAttempts(jobId)).isEmpty();
        assertThat(journal.paymentsFor(jobId)).singleElement().satisfies(p -> assertThat(p.bolt11()).isEqualTo(bolt11));
        assertThat(journal.paymentsFor(jobId)).extracting(ClientJournal.Payment::amount).containsExactly(Msat.of(PRICE));
        // asked again (a redelivered invoice, a restart): the journal answers, the wallet is not asked to pay
        assertThat(payer().pay(jobId, bolt11, Msat.of(PRICE))).isInstanceOf(PayResult.Paid.class);
        assertThat(network.balance("client")).isEqualTo(FUNDS - PRICE);
    }

    @Test
    void aHoldInvoicePaidBeforeARestartIsPendingAfterItAndPaidOnceTheNodeSettles() {
        byte[] preimage = Sha256.hash(new byte[] {7});
        String bolt11 = ((InvoiceResult.Created) node.makeHoldInvoice(InvoiceRequest.forJob(PRICE,
                new JobBinding(jobId.hex()), 600), Sha256.hash(preimage))).bolt11();
        assertThat(payer().pay(jobId, bolt11, Msat.of(PRICE))).isInstanceOf(PayResult.Pending.class);

        // restarted: the wallet refuses a second payment (already held); the payer reports it pending, not failed
        PayResult afterRestart = payer().pay(jobId, bolt11, Msat.of(PRICE));
        assertThat(afterRestart).isInstanceOf(PayResult.Pending.class);
        assertThat(network.balance("client")).isEqualTo(FUNDS - PRICE);

        node.settle(preimage);
        PayResult settled = payer().pay(jobId, bolt11, Msat.of(PRICE));
        assertThat(settled).isInstanceOfSatisfying(PayResult.Paid.class,
                p -> assertThat(p.preimage()).isEqualTo(preimage));
        assertThat(journal.payment(bolt11)).isPresent();
        assertThat(network.balance("client")).as("locked once, paid once").isEqualTo(FUNDS - PRICE);
    }

    private static String hashOf(String bolt11) {
        return org.fedai.payment.Bolt11Codec.decode(bolt11).paymentHashHex();
    }
}
