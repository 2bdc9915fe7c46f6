package org.fedai.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedai.nostr.Secp256k1Keys;
import org.fedai.nostr.Sha256;
import org.fedai.store.InvoiceState;
import org.fedai.store.SqlitePaymentHashRegistry;
import org.fedai.store.WalletLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevWalletTest {

    private static final JobBinding JOB = new JobBinding("c".repeat(64));

    /** A clock the test moves by hand: expiry without sleeping. */
    static final class ManualClock extends Clock {
        volatile Instant now = Instant.ofEpochSecond(1_800_000_000L);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final byte[] clientKey = Secp256k1Keys.generateSecretKey();
    private final byte[] nodeKey = Secp256k1Keys.generateSecretKey();
    private DevWalletNetwork network;
    private DevWallet client;
    private DevWallet node;

    @BeforeEach
    void open() {
        network = new DevWalletNetwork(WalletLedger.open(dir.resolve("ledger.db")), clock);
        client = network.wallet("client", clientKey);
        node = network.wallet("node", nodeKey);
        network.deposit("client", 100_000);
    }

    @AfterEach
    void close() {
        network.close();
    }

    private InvoiceResult.Created invoice(long msat) {
        return (InvoiceResult.Created) node.makeInvoice(InvoiceRequest.forJob(msat, JOB, 600));
    }

    private static void assertFailed(PayResult result, BackendFailure reason) {
        assertThat(result).isInstanceOfSatisfying(PayResult.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.detail()).isNotBlank();
        });
    }

    @Test
    void invoicesAreRealRegtestBolt11SignedByTheNodeKey() {
        InvoiceResult.Created created = invoice(21_000);
        Bolt11Invoice decoded = Bolt11Codec.decode(created.bolt11());

        assertThat(created.bolt11()).startsWith("lnbcrt210n1");
        assertThat(decoded.payeeHex()).isEqualTo(node.nodeId());
        assertThat(decoded.paymentHash()).isEqualTo(created.paymentHash());
        assertThat(decoded.descriptionHash()).hasValueSatisfying(h -> assertThat(h).isEqualTo(JOB.descriptionHash()));
        assertThat(decoded.paymentSecret()).isPresent();
        assertThat(decoded.expiresAt()).isEqualTo(created.expiresAt()).isEqualTo(clock.now.getEpochSecond() + 600);
        assertThat(JOB.boundTo(decoded)).isTrue();
    }

    @Test
    void payingMovesFundsAndThePreimageIsAProofTheVerifierAccepts() {
        List<Settlement> settlements = new CopyOnWriteArrayList<>();
        node.subscribeSettlements(settlements::add);
        InvoiceResult.Created created = invoice(21_000);

        PayResult result = client.pay(created.bolt11(), OptionalLong.empty());

        assertThat(result).isInstanceOfSatisfying(PayResult.Paid.class, paid -> {
            assertThat(Sha256.hash(paid.preimage())).isEqualTo(created.paymentHash());
            assertThat(paid.amountMsat()).isEqualTo(21_000);
            try (SqlitePaymentHashRegistry registry = SqlitePaymentHashRegistry.inMemory()) {
                PaymentProofVerifier verifier = new PaymentProofVerifier(registry, Duration.ofSeconds(30));
                PaymentExpectation expected = PaymentExpectation.forJob(node.nodeId(), 21_000, Bolt11Network.REGTEST, JOB);
                assertThat(verifier.verify(expected, created.bolt11(), paid.preimage(), clock.now.getEpochSecond()))
                        .isInstanceOf(ProofResult.Verified.class);
            }
        });
        assertThat(client.balanceMsat()).isEqualTo(79_000);
        assertThat(node.balanceMsat()).isEqualTo(21_000);
        assertThat(settlements).singleElement().satisfies(s -> {
            assertThat(s.paymentHash()).isEqualTo(created.paymentHash());
            assertThat(s.amountMsat()).isEqualTo(21_000);
        });
        assertThat(node.lookup(created.paymentHash())).isInstanceOfSatisfying(LookupResult.Found.class,
                f -> assertThat(f.state()).isEqualTo(InvoiceState.SETTLED));
    }

    @Test
    void payingTwiceIsRefusedAndChargesOnce() {
        InvoiceResult.Created created = invoice(1_000);
        assertThat(client.pay(created.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Paid.class);

        assertFailed(client.pay(created.bolt11(), OptionalLong.empty()), BackendFailure.ALREADY_PAID);
        assertThat(client.balanceMsat()).isEqualTo(99_000);
    }

    @Test
    void payingBeyondTheBalanceIsRefused() {
        assertFailed(client.pay(invoice(100_001).bolt11(), OptionalLong.empty()), BackendFailure.INSUFFICIENT_BALANCE);
        assertThat(client.balanceMsat()).isEqualTo(100_000);
    }

    @Test
    void anExpiredInvoiceIsRefusedAndLooksExpired() {
        InvoiceResult.Created created = invoice(1_000);
        clock.now = clock.now.plusSeconds(600);

        assertFailed(client.pay(created.bolt11(), OptionalLong.empty()), BackendFailure.EXPIRED);
        assertThat(node.lookup(created.paymentHash())).isInstanceOfSatisfying(LookupResult.Found.class,
                f -> assertThat(f.state()).isEqualTo(InvoiceState.EXPIRED));
    }

    @Test
    void malformedForeignAndUnknownInvoicesAreRefused() {
        assertFailed(client.pay("lnbcrt1notaninvoice", OptionalLong.empty()), BackendFailure.INVALID_INVOICE);
        String mainnet = Bolt11Codec.sign(Bolt11Network.BITCOIN, OptionalLong.of(1000), clock.now.getEpochSecond(),
                List.of(new TaggedField.PaymentHash(new byte[32]), new TaggedField.Description("x")), nodeKey).encode();
        assertFailed(client.pay(mainnet, OptionalLong.empty()), BackendFailure.WRONG_NETWORK);
        String stranger = Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.of(1000), clock.now.getEpochSecond(),
                List.of(new TaggedField.PaymentHash(new byte[32]), new TaggedField.Description("x")),
                Secp256k1Keys.generateSecretKey()).encode();
        assertFailed(client.pay(stranger, OptionalLong.empty()), BackendFailure.UNKNOWN_INVOICE);
        assertThat(client.balanceMsat()).isEqualTo(100_000);
    }

    @Test
    void anInvoiceReSignedByAnotherKeyForAKnownHashIsRefused() {
        Bolt11Invoice real = Bolt11Codec.decode(invoice(1_000).bolt11());
        String forged = Bolt11Codec.sign(real.network(), real.amountMsat(), real.timestamp(), real.fields(),
                Secp256k1Keys.generateSecretKey()).encode();
        assertFailed(client.pay(forged, OptionalLong.empty()), BackendFailure.INVALID_INVOICE);
    }

    @Test
    void ourOwnInvoiceAndWrongAmountsAreRefused() {
        InvoiceResult.Created created = invoice(1_000);
        network.deposit("node", 5_000);
        assertFailed(node.pay(created.bolt11(), OptionalLong.empty()), BackendFailure.SELF_PAYMENT);
        assertFailed(client.pay(created.bolt11(), OptionalLong.of(999)), BackendFailure.BAD_AMOUNT);

        InvoiceResult.Created anyAmount = (InvoiceResult.Created) node.makeInvoice(
                new InvoiceRequest(OptionalLong.empty(), "tip", null, 600));
        assertFailed(client.pay(anyAmount.bolt11(), OptionalLong.empty()), BackendFailure.BAD_AMOUNT);
        assertThat(client.pay(anyAmount.bolt11(), OptionalLong.of(777))).isInstanceOf(PayResult.Paid.class);
        assertThat(node.balanceMsat()).isEqualTo(5_777);
    }

    @Test
    void aHoldInvoiceLocksTheAmountUntilThePayeeSettles() {
        byte[] preimage = Secp256k1Keys.generateSecretKey();
        byte[] hash = Sha256.hash(preimage);
        List<Settlement> settlements = new CopyOnWriteArrayList<>();
        node.subscribeSettlements(settlements::add);
        InvoiceResult.Created created = (InvoiceResult.Created) node.makeHoldInvoice(InvoiceRequest.forJob(5_000, JOB, 600), hash);
        assertThat(node.settle(preimage)).isInstanceOfSatisfying(HoldResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.NOT_HELD));

        assertThat(client.pay(created.bolt11(), OptionalLong.empty())).isInstanceOf(PayResult.Pending.class);
        assertThat(client.balanceMsat()).isEqualTo(95_000);
        assertThat(node.balanceMsat()).isZero();
        assertThat(client.lookup(hash)).isInstanceOfSatisfying(LookupResult.Found.class, f -> {
            assertThat(f.state()).isEqualTo(InvoiceState.HELD);
            assertThat(f.preimage()).isEmpty();
        });
        assertThat(settlements).isEmpty();

        assertThat(node.settle(preimage)).isInstanceOfSatisfying(HoldResult.Done.class,
                d -> assertThat(d.state()).isEqualTo(InvoiceState.SETTLED));
        assertThat(node.balanceMsat()).isEqualTo(5_000);
        assertThat(settlements).singleElement().satisfies(s -> assertThat(s.preimage()).isEqualTo(preimage));
        assertThat(client.lookup(hash)).isInstanceOfSatisfying(LookupResult.Found.class, f -> {
            assertThat(f.state()).isEqualTo(InvoiceState.SETTLED);
            assertThat(f.preimage()).hasValueSatisfying(p -> assertThat(p).isEqualTo(preimage));
        });
        assertThat(node.settle(preimage)).isInstanceOfSatisfying(HoldResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.ALREADY_FINAL));
    }

    @Test
    void cancellingAHeldInvoiceReturnsTheFunds() {
        byte[] hash = Sha256.hash(Secp256k1Keys.generateSecretKey());
        InvoiceResult.Created created = (InvoiceResult.Created) node.makeHoldInvoice(InvoiceRequest.forJob(5_000, JOB, 600), hash);
        client.pay(created.bolt11(), OptionalLong.empty());
        assertThat(client.cancel(hash)).isInstanceOfSatisfying(HoldResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.UNKNOWN_INVOICE));

        assertThat(node.cancel(hash)).isInstanceOf(HoldResult.Done.class);

        assertThat(client.balanceMsat()).isEqualTo(100_000);
        assertFailed(client.pay(created.bolt11(), OptionalLong.empty()), BackendFailure.CANCELLED);
        assertThat(node.makeHoldInvoice(InvoiceRequest.forJob(5_000, JOB, 600), hash))
                .isInstanceOfSatisfying(InvoiceResult.Failed.class,
                        f -> assertThat(f.reason()).isEqualTo(BackendFailure.DUPLICATE_PAYMENT_HASH));
    }

    @Test
    void aPreimageOfNoInvoiceOfOursCannotSettle() {
        assertThat(node.settle(new byte[32])).isInstanceOfSatisfying(HoldResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(BackendFailure.PREIMAGE_MISMATCH));
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() {
        List<Settlement> settlements = new CopyOnWriteArrayList<>();
        node.subscribeSettlements(settlements::add).close();
        client.pay(invoice(1_000).bolt11(), OptionalLong.empty());
        assertThat(settlements).isEmpty();
    }

    @Test
    void aRestartKeepsBalancesInvoicesAndHeldFunds() {
        InvoiceResult.Created paid = invoice(2_000);
        client.pay(paid.bolt11(), OptionalLong.empty());
        byte[] preimage = Secp256k1Keys.generateSecretKey();
        InvoiceResult.Created held = (InvoiceResult.Created) node.makeHoldInvoice(
                InvoiceRequest.forJob(3_000, JOB, 600), Sha256.hash(preimage));
        client.pay(held.bolt11(), OptionalLong.empty());
        network.close();

        network = new DevWalletNetwork(WalletLedger.open(dir.resolve("ledger.db")), clock);
        DevWallet node2 = network.wallet("node", nodeKey);
        DevWallet client2 = network.wallet("client", clientKey);

        assertThat(client2.balanceMsat()).isEqualTo(95_000);
        assertThat(node2.balanceMsat()).isEqualTo(2_000);
        assertThat(node2.lookup(held.paymentHash())).isInstanceOfSatisfying(LookupResult.Found.class,
                f -> assertThat(f.state()).isEqualTo(InvoiceState.HELD));
        assertThat(node2.settle(preimage)).isInstanceOf(HoldResult.Done.class);
        assertThat(node2.balanceMsat()).isEqualTo(5_000);
        assertFailed(client2.pay(paid.bolt11(), OptionalLong.empty()), BackendFailure.ALREADY_PAID);
        assertThatThrownBy(() -> network.wallet("node", clientKey)).isInstanceOf(IllegalArgumentException.class);
    }
}
