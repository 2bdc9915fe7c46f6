package org.fedai.payment.lnd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedai.nostr.Sha256;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Network;
import org.fedai.payment.HoldResult;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.PaymentExpectation;
import org.fedai.payment.PaymentProofVerifier;
import org.fedai.payment.ProofResult;
import org.fedai.payment.Settlement;
import org.fedai.store.InvoiceState;
import org.fedai.store.SqlitePaymentHashRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LND backend against the contract of LND's gRPC API: a fake LND built from lightningj's own generated
 * service bases, over TLS with its own self-signed certificate, checking the macaroon on every call, and
 * answering with real signed BOLT #11 invoices and real preimages. The proofs it yields must satisfy
 * {@link PaymentProofVerifier} exactly as a router would check them.
 */
class LndBackendContractTest {

    private static final JobBinding JOB = new JobBinding("ab".repeat(32));
    private static final long PRICE_MSAT = 21_000;

    @TempDir
    Path dir;

    private FakeLnd lnd;
    private LndPaymentBackend backend;

    @BeforeEach
    void start() throws Exception {
        lnd = new FakeLnd(dir);
        // generous deadlines (a loaded CI machine needs seconds for the first TLS handshake); a held HTLC is
        // reported as pending after 300 ms
        backend = LndPaymentBackend.connect(lnd.config().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMillis(300)).withResubscribeAfter(Duration.ofMillis(50)));
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        lnd.close();
    }

    @Test
    void connectLearnsTheNodeKeyAndChainFromGetInfo() {
        assertThat(backend.nodeId()).isEqualTo(lnd.nodeId);
        assertThat(backend.network()).isEqualTo(Bolt11Network.REGTEST);
    }

    @Test
    void invoiceForAJobIsSignedByTheNodeAndBoundToTheJob() {
        InvoiceResult.Created created = created(backend.makeInvoice(InvoiceRequest.forJob(PRICE_MSAT, JOB, 600)));

        var invoice = Bolt11Codec.decode(created.bolt11());
        assertThat(invoice.payeeHex()).isEqualTo(lnd.nodeId);
        assertThat(invoice.amountMsat()).hasValue(PRICE_MSAT);
        assertThat(JOB.boundTo(invoice)).isTrue();
        assertThat(invoice.paymentHash()).isEqualTo(created.paymentHash());
        assertThat(lookup(created.paymentHash()).state()).isEqualTo(InvoiceState.OPEN);
    }

    @Test
    void settlementSubscriptionDeliversAPreimageTheProofVerifierAccepts() {
        List<Settlement> settled = new CopyOnWriteArrayList<>();
        try (PaymentBackend.Subscription sub = backend.subscribeSettlements(settled::add)) {
            InvoiceResult.Created created = created(backend.makeInvoice(InvoiceRequest.forJob(PRICE_MSAT, JOB, 600)));
            awaitSubscribed();
            lnd.payIncoming(created.paymentHash(), PRICE_MSAT);

            await().atMost(Duration.ofSeconds(30)).until(() -> settled.size() == 1);
            Settlement s = settled.get(0);
            assertThat(s.paymentHash()).isEqualTo(created.paymentHash());
            assertThat(Sha256.hash(s.preimage())).isEqualTo(created.paymentHash());
            assertThat(s.amountMsat()).isEqualTo(PRICE_MSAT);
            assertThat(verify(created.bolt11(), s.preimage())).isInstanceOf(ProofResult.Verified.class);

            LookupResult.Found found = lookup(created.paymentHash());
            assertThat(found.state()).isEqualTo(InvoiceState.SETTLED);
            assertThat(found.paidMsat()).hasValue(PRICE_MSAT);
            assertThat(found.preimage()).hasValueSatisfying(p -> assertThat(p).isEqualTo(s.preimage()));
        }
    }

    @Test
    void settlementsMissedWhileTheStreamWasDownAreReplayedFromTheSettleIndex() {
        List<Settlement> settled = new CopyOnWriteArrayList<>();
        try (PaymentBackend.Subscription sub = backend.subscribeSettlements(settled::add)) {
            InvoiceResult.Created first = created(backend.makeInvoice(InvoiceRequest.forJob(PRICE_MSAT, JOB, 600)));
            InvoiceResult.Created second = created(backend.makeInvoice(InvoiceRequest.forJob(PRICE_MSAT, JOB, 600)));
            awaitSubscribed();
            lnd.payIncoming(first.paymentHash(), PRICE_MSAT);
            await().atMost(Duration.ofSeconds(30)).until(() -> settled.size() == 1);

            lnd.dropStreams();
            lnd.payIncoming(second.paymentHash(), PRICE_MSAT); // while nobody listens

            await().atMost(Duration.ofSeconds(30)).until(() -> settled.size() == 2);
            assertThat(settled.get(1).paymentHash()).isEqualTo(second.paymentHash());
        }
    }

    @Test
    void holdInvoiceIsHeldWhenPaidThenSettledWithThePreimage() {
        byte[] preimage = Sha256.hash("node's secret".getBytes());
        byte[] hash = Sha256.hash(preimage);
        InvoiceResult.Created created = created(backend.makeHoldInvoice(InvoiceRequest.forJob(PRICE_MSAT, JOB, 600), hash));
        assertThat(created.paymentHash()).isEqualTo(hash);
        assertThat(Bolt11Codec.decode(created.bolt11()).paymentHash()).isEqualTo(hash);

        assertThat(backend.settle(preimage)).isEqualTo(new HoldResult.Failed(BackendFailure.NOT_HELD,
                "LND: invoice still open"));
        lnd.payIncoming(hash, PRICE_MSAT);
        assertThat(lookup(hash).state()).isEqualTo(InvoiceState.HELD);
        assertThat(lookup(hash).preimage()).isEmpty();

        assertThat(backend.settle(preimage)).isInstanceOfSatisfying(HoldResult.Done.class,
                d -> assertThat(d.state()).isEqualTo(InvoiceState.SETTLED));
        assertThat(lookup(hash).state()).isEqualTo(InvoiceState.SETTLED);
        assertThat(verify(created.bolt11(), preimage)).isInstanceOf(ProofResult.Verified.class);
        assertThat(backend.cancel(hash)).isEqualTo(new HoldResult.Failed(BackendFailure.ALREADY_FINAL,
                "LND: invoice already settled"));
    }

    @Test
    void heldInvoiceCancelledReleasesTheFundsAndCannotBeSettled() {
        byte[] preimage = Sha256.hash("job failed".getBytes());
        byte[] hash = Sha256.hash(preimage);
        created(backend.makeHoldInvoice(InvoiceRequest.forJob(PRICE_MSAT, JOB, 600), hash));
        lnd.payIncoming(hash, PRICE_MSAT);

        assertThat(backend.cancel(hash)).isInstanceOfSatisfying(HoldResult.Done.class,
                d -> assertThat(d.state()).isEqualTo(InvoiceState.CANCELLED));
        assertThat(lookup(hash).state()).isEqualTo(InvoiceState.CANCELLED);
        assertThat(backend.settle(preimage)).isEqualTo(new HoldResult.Failed(BackendFailure.ALREADY_FINAL,
                "LND: invoice already canceled"));
    }

    @Test
    void holdInvoiceForAHashAlreadyInvoicedIsRefused() {
        byte[] hash = Sha256.hash("twice".getBytes());
        created(backend.makeHoldInvoice(InvoiceRequest.forJob(PRICE_MSAT, JOB, 600), hash));
        assertThat(backend.makeHoldInvoice(InvoiceRequest.forJob(PRICE_MSAT, JOB, 600), hash))
                .isInstanceOfSatisfying(InvoiceResult.Failed.class,
                        f -> assertThat(f.reason()).isEqualTo(BackendFailure.DUPLICATE_PAYMENT_HASH));
    }

    @Test
    void settleOrCancelOfUnknownInvoicesAndLookupOfUnknownHashes() {
        byte[] stranger = Sha256.hash("nobody".getBytes());
        assertThat(backend.settle(stranger)).isInstanceOfSatisfying(HoldResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.PREIMAGE_MISMATCH));
        assertThat(backend.cancel(stranger)).isInstanceOfSatisfying(HoldResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.UNKNOWN_INVOICE));
        assertThat(backend.lookup(stranger)).isInstanceOf(LookupResult.NotFound.class);
    }

    @Test
    void paySucceedsWithThePreimageOfTheRemoteInvoice() {
        String bolt11 = lnd.remoteInvoice(5_000, FakeLnd.Remote.SETTLES);
        byte[] hash = Bolt11Codec.decode(bolt11).paymentHash();

        PayResult.Paid paid = (PayResult.Paid) backend.pay(bolt11, OptionalLong.empty());

        assertThat(Sha256.hash(paid.preimage())).isEqualTo(hash);
        assertThat(paid.amountMsat()).isEqualTo(5_000);
        // the payer's lookup finds the payment (TrackPaymentV2) with its proof
        LookupResult.Found found = lookup(hash);
        assertThat(found.state()).isEqualTo(InvoiceState.SETTLED);
        assertThat(found.preimage()).hasValueSatisfying(p -> assertThat(p).isEqualTo(paid.preimage()));
        // LND refuses a second payment of the same hash
        assertThat(backend.pay(bolt11, OptionalLong.empty())).isEqualTo(new PayResult.Failed(BackendFailure.ALREADY_PAID,
                "LND: invoice is already paid"));
    }

    @Test
    void aPaymentWhoseAnswerIsLostIsTrackedNotSentAgain() {
        String bolt11 = lnd.remoteInvoice(5_000, FakeLnd.Remote.SETTLES_BUT_ANSWER_LOST);
        byte[] hash = Bolt11Codec.decode(bolt11).paymentHash();

        PayResult result = backend.pay(bolt11, OptionalLong.empty());

        assertThat(result).isInstanceOfSatisfying(PayResult.Paid.class,
                p -> assertThat(Sha256.hash(p.preimage())).isEqualTo(hash));
        assertThat(lnd.sendPaymentCalls()).isEqualTo(1);
    }

    @Test
    void payFailureCarriesLndsReason() {
        PayResult noRoute = backend.pay(lnd.remoteInvoice(5_000, FakeLnd.Remote.NO_ROUTE), OptionalLong.empty());
        assertThat(noRoute).isInstanceOfSatisfying(PayResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(BackendFailure.PAYMENT_FAILED);
            assertThat(f.detail()).contains("FAILURE_REASON_NO_ROUTE");
        });
        // an invoice the payee does not know: the final hop refuses the HTLC
        String unknown = Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.of(1_000), System.currentTimeMillis() / 1000,
                List.of(new org.fedai.payment.TaggedField.PaymentHash(Sha256.hash("x".getBytes())),
                        new org.fedai.payment.TaggedField.Description("?")), lnd.nodeSecret).encode();
        assertThat(backend.pay(unknown, OptionalLong.empty())).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.detail()).contains("FAILURE_REASON_INCORRECT_PAYMENT_DETAILS"));
    }

    @Test
    void payOfAHoldInvoiceIsPendingUntilThePayeeSettles() {
        String bolt11 = lnd.remoteInvoice(7_000, FakeLnd.Remote.HOLDS);
        byte[] hash = Bolt11Codec.decode(bolt11).paymentHash();

        assertThat(backend.pay(bolt11, OptionalLong.empty())).isInstanceOf(PayResult.Pending.class);
        assertThat(lookup(hash).state()).isEqualTo(InvoiceState.HELD);
        // paying again while held: LND says "payment is in transition", the backend tracks the first payment
        assertThat(backend.pay(bolt11, OptionalLong.empty())).isInstanceOf(PayResult.Pending.class);

        lnd.releaseHeld(hash);
        LookupResult.Found settled = lookup(hash);
        assertThat(settled.state()).isEqualTo(InvoiceState.SETTLED);
        assertThat(settled.preimage()).hasValueSatisfying(p -> assertThat(Sha256.hash(p)).isEqualTo(hash));
    }

    @Test
    void payRefusesBadInvoicesBeforeAskingLnd() {
        assertThat(backend.pay("lnbcrt1junk", OptionalLong.empty())).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.INVALID_INVOICE));
        String bolt11 = lnd.remoteInvoice(5_000, FakeLnd.Remote.SETTLES);
        assertThat(backend.pay(bolt11, OptionalLong.of(4_000))).isInstanceOfSatisfying(PayResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.BAD_AMOUNT));
    }

    @Test
    void wrongMacaroonIsRefusedWithAClearReason() throws Exception {
        Path wrong = Files.write(dir.resolve("wrong.macaroon"), new byte[] {1, 2, 3});
        LndConfig config = new LndConfig("127.0.0.1", lnd.port(), lnd.cert.certFile(), wrong, Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(1), 1_000, Duration.ofSeconds(1));
        assertThatThrownBy(() -> LndPaymentBackend.connect(config)).isInstanceOf(LndException.class)
                .hasMessageContaining("LND refused the macaroon")
                .hasMessageContaining("signature mismatch");
    }

    @Test
    void revokedMacaroonTurnsCallsIntoResultsNotExceptions() {
        lnd.rotateMacaroon(); // as after `lncli bakemacaroon` with a new root key: our macaroon no longer verifies

        assertThat(backend.makeInvoice(InvoiceRequest.forJob(PRICE_MSAT, JOB, 600)))
                .isInstanceOfSatisfying(InvoiceResult.Failed.class, f -> {
                    assertThat(f.reason()).isEqualTo(BackendFailure.BACKEND_ERROR);
                    assertThat(f.detail()).startsWith("LND refused the macaroon");
                });
        assertThat(backend.pay(lnd.remoteInvoice(5_000, FakeLnd.Remote.SETTLES), OptionalLong.empty()))
                .isInstanceOfSatisfying(PayResult.Failed.class,
                        f -> assertThat(f.detail()).startsWith("LND refused the macaroon"));
    }

    @Test
    void untrustedCertificateIsRefused() throws Exception {
        SelfSignedCert other = SelfSignedCert.write(dir, "other");
        LndConfig config = new LndConfig("127.0.0.1", lnd.port(), other.certFile(), lnd.macaroonFile,
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(1), 1_000, Duration.ofSeconds(1));
        assertThatThrownBy(() -> LndPaymentBackend.connect(config)).isInstanceOf(LndException.class)
                .hasMessageContaining("TLS handshake with LND at 127.0.0.1:" + lnd.port() + " failed");
    }

    @Test
    void missingFilesAreRefusedBeforeAnyConnection() {
        assertThatThrownBy(() -> LndConfig.parse("127.0.0.1:10009", dir.resolve("absent.cert"), lnd.macaroonFile))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent.cert does not exist");
        assertThatThrownBy(() -> LndConfig.parse("localhost", lnd.cert.certFile(), lnd.macaroonFile))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HOST:PORT");
    }

    @Test
    void serverGoneTurnsEveryCallIntoAClearFailure() throws Exception {
        String bolt11 = lnd.remoteInvoice(5_000, FakeLnd.Remote.SETTLES);
        lnd.close();

        InvoiceResult invoice = backend.makeInvoice(InvoiceRequest.forJob(PRICE_MSAT, JOB, 600));
        assertThat(invoice).isInstanceOfSatisfying(InvoiceResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(BackendFailure.BACKEND_ERROR);
            assertThat(f.detail()).contains("127.0.0.1:" + lnd.port());
        });
        assertThat(backend.lookup(Sha256.hash(new byte[1]))).isInstanceOfSatisfying(LookupResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.BACKEND_ERROR));
        // a refused connection means nothing was sent: a definite failure, not an unknown outcome
        assertThat(backend.pay(bolt11, OptionalLong.empty())).isInstanceOfSatisfying(PayResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(BackendFailure.BACKEND_ERROR);
            assertThat(f.detail()).startsWith("LND unreachable at 127.0.0.1:" + lnd.port());
        });
        assertThat(backend.settle(new byte[32])).isInstanceOf(HoldResult.Failed.class);
        assertThatThrownBy(() -> LndPaymentBackend.connect(lnd.config())).isInstanceOf(LndException.class)
                .hasMessageContaining("LND unreachable at 127.0.0.1:" + lnd.port());
    }

    /** SubscribeInvoices is asynchronous: wait until the fake holds our stream before paying. */
    private void awaitSubscribed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> lnd.invoiceSubscribers() > 0);
    }

    private ProofResult verify(String bolt11, byte[] preimage) {
        try (SqlitePaymentHashRegistry registry = SqlitePaymentHashRegistry.inMemory()) {
            return new PaymentProofVerifier(registry, Duration.ofSeconds(30)).verify(
                    PaymentExpectation.forJob(backend.nodeId(), PRICE_MSAT, Bolt11Network.REGTEST, JOB), bolt11, preimage,
                    System.currentTimeMillis() / 1000);
        }
    }

    private LookupResult.Found lookup(byte[] hash) {
        LookupResult result = backend.lookup(hash);
        assertThat(result).as(String.valueOf(result)).isInstanceOf(LookupResult.Found.class);
        return (LookupResult.Found) result;
    }

    private static InvoiceResult.Created created(InvoiceResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(InvoiceResult.Created.class);
        return (InvoiceResult.Created) result;
    }
}
