package org.fedai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalletLedgerTest {

    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    private static String preimage(int seed) {
        byte[] p = new byte[32];
        p[0] = (byte) seed;
        return HEX.formatHex(p);
    }

    private static String hashOf(String preimageHex) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(HEX.parseHex(preimageHex)));
    }

    private static WalletLedger twoAccounts(WalletLedger ledger) {
        ledger.openAccount("alice", "02" + "aa".repeat(32));
        ledger.openAccount("bob", "03" + "bb".repeat(32));
        ledger.deposit("alice", 10_000);
        return ledger;
    }

    @Test
    void aPlainInvoiceMovesTheAmountAtOnce() throws Exception {
        try (WalletLedger ledger = twoAccounts(WalletLedger.inMemory())) {
            String pre = preimage(1);
            String hash = hashOf(pre);
            ledger.addInvoice(LedgerInvoice.open(hash, "bob", "lnbcrt...", 4_000L, pre, false, 100, 200));

            WalletLedger.PayOutcome outcome = ledger.pay("alice", hash, 4_000, 150);

            assertThat(outcome.status()).isEqualTo(WalletLedger.PayStatus.SETTLED);
            assertThat(outcome.invoice().state()).isEqualTo(InvoiceState.SETTLED);
            assertThat(ledger.account("alice").orElseThrow().balanceMsat()).isEqualTo(6_000);
            assertThat(ledger.account("bob").orElseThrow().balanceMsat()).isEqualTo(4_000);
            LedgerPayment payment = ledger.payment(hash).orElseThrow();
            assertThat(payment.state()).isEqualTo(LedgerPayment.State.SUCCEEDED);
            assertThat(payment.preimage()).isEqualTo(pre);
            assertThat(ledger.pay("alice", hash, 4_000, 151).status()).isEqualTo(WalletLedger.PayStatus.ALREADY_PAID);
            assertThat(ledger.account("alice").orElseThrow().balanceMsat()).isEqualTo(6_000);
        }
    }

    @Test
    void refusalsLeaveEveryBalanceAsItWas() throws Exception {
        try (WalletLedger ledger = twoAccounts(WalletLedger.inMemory())) {
            String hash = hashOf(preimage(2));
            ledger.addInvoice(LedgerInvoice.open(hash, "bob", "x", 20_000L, preimage(2), false, 100, 200));
            String open = hashOf(preimage(3));
            ledger.addInvoice(LedgerInvoice.open(open, "bob", "x", null, preimage(3), false, 100, 200));

            assertThat(ledger.pay("alice", hash, 20_000, 150).status()).isEqualTo(WalletLedger.PayStatus.INSUFFICIENT_BALANCE);
            assertThat(ledger.pay("alice", hash, 1_000, 150).status()).isEqualTo(WalletLedger.PayStatus.AMOUNT_MISMATCH);
            assertThat(ledger.pay("alice", open, 0, 150).status()).isEqualTo(WalletLedger.PayStatus.AMOUNT_MISMATCH);
            assertThat(ledger.pay("bob", hash, 20_000, 150).status()).isEqualTo(WalletLedger.PayStatus.SELF_PAYMENT);
            assertThat(ledger.pay("carol", hash, 20_000, 150).status()).isEqualTo(WalletLedger.PayStatus.UNKNOWN_PAYER);
            assertThat(ledger.pay("alice", "00".repeat(32), 1, 150).status()).isEqualTo(WalletLedger.PayStatus.UNKNOWN_INVOICE);
            assertThat(ledger.pay("alice", open, 500, 200).status()).isEqualTo(WalletLedger.PayStatus.EXPIRED);
            assertThat(ledger.invoice(open).orElseThrow().state()).isEqualTo(InvoiceState.EXPIRED);

            assertThat(ledger.account("alice").orElseThrow().balanceMsat()).isEqualTo(10_000);
            assertThat(ledger.account("bob").orElseThrow().balanceMsat()).isZero();
            assertThat(ledger.payment(hash)).isEmpty();
        }
    }

    @Test
    void aHoldInvoiceLocksFundsUntilSettledWithThePreimage() throws Exception {
        try (WalletLedger ledger = twoAccounts(WalletLedger.inMemory())) {
            String pre = preimage(4);
            String hash = hashOf(pre);
            ledger.addInvoice(LedgerInvoice.open(hash, "bob", "x", 3_000L, null, true, 100, 200));
            assertThat(ledger.settleHeld(hash, pre, 120).status()).isEqualTo(WalletLedger.HoldStatus.NOT_HELD);

            assertThat(ledger.pay("alice", hash, 3_000, 130).status()).isEqualTo(WalletLedger.PayStatus.HELD);
            assertThat(ledger.account("alice").orElseThrow().balanceMsat()).isEqualTo(7_000);
            assertThat(ledger.account("bob").orElseThrow().balanceMsat()).isZero();
            assertThat(ledger.payment(hash).orElseThrow().preimage()).isNull();

            assertThat(ledger.settleHeld(hash, preimage(5), 140).status()).isEqualTo(WalletLedger.HoldStatus.PREIMAGE_MISMATCH);
            WalletLedger.HoldOutcome settled = ledger.settleHeld(hash, pre, 140);

            assertThat(settled.status()).isEqualTo(WalletLedger.HoldStatus.SETTLED);
            assertThat(settled.invoice().preimage()).isEqualTo(pre);
            assertThat(ledger.account("bob").orElseThrow().balanceMsat()).isEqualTo(3_000);
            assertThat(ledger.payment(hash).orElseThrow().preimage()).isEqualTo(pre);
            assertThat(ledger.cancel(hash, 150).status()).isEqualTo(WalletLedger.HoldStatus.ALREADY_FINAL);
        }
    }

    @Test
    void cancellingAHeldInvoiceRefundsThePayer() throws Exception {
        try (WalletLedger ledger = twoAccounts(WalletLedger.inMemory())) {
            String hash = hashOf(preimage(6));
            ledger.addInvoice(LedgerInvoice.open(hash, "bob", "x", 2_500L, null, true, 100, 200));
            ledger.pay("alice", hash, 2_500, 110);

            assertThat(ledger.cancel(hash, 120).status()).isEqualTo(WalletLedger.HoldStatus.CANCELLED);

            assertThat(ledger.account("alice").orElseThrow().balanceMsat()).isEqualTo(10_000);
            assertThat(ledger.payment(hash).orElseThrow().state()).isEqualTo(LedgerPayment.State.REFUNDED);
            assertThat(ledger.pay("alice", hash, 2_500, 130).status()).isEqualTo(WalletLedger.PayStatus.CANCELLED);
            assertThat(ledger.settleHeld(hash, preimage(6), 130).status()).isEqualTo(WalletLedger.HoldStatus.ALREADY_FINAL);
        }
    }

    /**
     * A payee that neither settles nor cancels (it stopped) does not keep a held payment: past the hold timeout it
     * goes back to its payer, as a Lightning HTLC times out. Invariant: a client that pays ends with the result or its
     * money; only payments held since the cutoff go back, and a settled one never does.
     */
    @Test
    void paymentsHeldPastTheTimeoutGoBackToTheirPayers() throws Exception {
        try (WalletLedger ledger = twoAccounts(WalletLedger.inMemory())) {
            String stale = hashOf(preimage(11));
            String fresh = hashOf(preimage(12));
            String settled = hashOf(preimage(13));
            for (String hash : List.of(stale, fresh, settled)) {
                ledger.addInvoice(LedgerInvoice.open(hash, "bob", "x", 1_000L, null, true, 100, 10_000));
            }
            ledger.pay("alice", stale, 1_000, 110);
            ledger.pay("alice", settled, 1_000, 110);
            ledger.settleHeld(settled, preimage(13), 115);
            ledger.pay("alice", fresh, 1_000, 200);

            assertThat(ledger.refundHeldSince(150, 300)).isEqualTo(1);

            assertThat(ledger.invoice(stale).orElseThrow().state()).isEqualTo(InvoiceState.CANCELLED);
            assertThat(ledger.payment(stale).orElseThrow().state()).isEqualTo(LedgerPayment.State.REFUNDED);
            assertThat(ledger.invoice(fresh).orElseThrow().state()).isEqualTo(InvoiceState.HELD);
            assertThat(ledger.invoice(settled).orElseThrow().state()).isEqualTo(InvoiceState.SETTLED);
            assertThat(ledger.account("alice").orElseThrow().balanceMsat()).isEqualTo(10_000 - 2_000);
            assertThat(ledger.account("bob").orElseThrow().balanceMsat()).isEqualTo(1_000);
            assertThat(ledger.settleHeld(stale, preimage(11), 310).status())
                    .as("too late for the payee").isEqualTo(WalletLedger.HoldStatus.ALREADY_FINAL);
            assertThat(ledger.refundHeldSince(150, 320)).as("once").isZero();
        }
    }

    @Test
    void balancesAndInvoiceStatesSurviveAnAbandonedConnection() throws Exception {
        Path file = dir.resolve("ledger.db");
        WalletLedger first = twoAccounts(WalletLedger.open(file));
        String paid = hashOf(preimage(7));
        String held = hashOf(preimage(8));
        first.addInvoice(LedgerInvoice.open(paid, "bob", "x", 1_000L, preimage(7), false, 100, 200));
        first.addInvoice(LedgerInvoice.open(held, "bob", "y", 2_000L, null, true, 100, 200));
        first.pay("alice", paid, 1_000, 110);
        first.pay("alice", held, 2_000, 110);
        // no close(): what was committed must be on disk, as after a crash

        try (WalletLedger reopened = WalletLedger.open(file)) {
            assertThat(reopened.account("alice").orElseThrow().balanceMsat()).isEqualTo(7_000);
            assertThat(reopened.account("bob").orElseThrow().balanceMsat()).isEqualTo(1_000);
            assertThat(reopened.invoice(paid).orElseThrow().state()).isEqualTo(InvoiceState.SETTLED);
            assertThat(reopened.invoice(held).orElseThrow().state()).isEqualTo(InvoiceState.HELD);
            assertThat(reopened.settleHeld(held, preimage(8), 120).status()).isEqualTo(WalletLedger.HoldStatus.SETTLED);
            assertThat(reopened.account("bob").orElseThrow().balanceMsat()).isEqualTo(3_000);
        }
        first.close();
    }

    @Test
    void aFailedWriteRollsBackAsAWhole() {
        try (WalletLedger ledger = twoAccounts(WalletLedger.inMemory())) {
            // the foreign key to accounts fails inside the transaction
            assertThatThrownBy(() -> ledger.addInvoice(LedgerInvoice.open("11".repeat(32), "nobody", "x", 1L, null,
                    false, 1, 2))).isInstanceOf(PaymentStoreException.class);
            assertThat(ledger.invoice("11".repeat(32))).isEmpty();
            ledger.addInvoice(LedgerInvoice.open("22".repeat(32), "bob", "x", 1L, null, false, 1, 2));
            assertThatThrownBy(() -> ledger.addInvoice(LedgerInvoice.open("22".repeat(32), "bob", "x", 1L, null,
                    false, 1, 2))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anAccountNameStaysBoundToItsNodeId() {
        try (WalletLedger ledger = twoAccounts(WalletLedger.inMemory())) {
            assertThat(ledger.openAccount("alice", "02" + "aa".repeat(32)).balanceMsat()).isEqualTo(10_000);
            assertThatThrownBy(() -> ledger.openAccount("alice", "02" + "cc".repeat(32)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ledger.openAccount("carol", "03" + "bb".repeat(32)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ledger.deposit("alice", 0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(ledger.accountByNodeId("03" + "bb".repeat(32)).orElseThrow().name()).isEqualTo("bob");
        }
    }

    @Test
    void pruningForgetsFinishedInvoicesButNeverABalanceOrAHeldPayment() throws Exception {
        // invariant: retention moves no money; a locked payment stays until settled or cancelled
        try (WalletLedger ledger = twoAccounts(WalletLedger.inMemory())) {
            String paid = hashOf(preimage(1));
            String unpaid = hashOf(preimage(2));
            String held = hashOf(preimage(3));
            String recent = hashOf(preimage(4));
            ledger.addInvoice(LedgerInvoice.open(paid, "bob", "lnbcrt1", 1_000L, preimage(1), false, 100, 200));
            ledger.addInvoice(LedgerInvoice.open(unpaid, "bob", "lnbcrt2", 1_000L, preimage(2), false, 100, 200));
            ledger.addInvoice(LedgerInvoice.open(held, "bob", "lnbcrt3", 1_000L, null, true, 100, 200));
            ledger.addInvoice(LedgerInvoice.open(recent, "bob", "lnbcrt4", 1_000L, preimage(4), false, 900, 2_000));
            ledger.pay("alice", paid, 1_000, 150);
            ledger.pay("alice", held, 1_000, 150);
            ledger.pay("alice", recent, 1_000, 1_500);

            assertThat(ledger.pruneFinished(1_000)).as("the settled and the expired unpaid one").isEqualTo(2);

            assertThat(ledger.invoice(paid)).isEmpty();
            assertThat(ledger.payment(paid)).isEmpty();
            assertThat(ledger.invoice(unpaid)).isEmpty();
            assertThat(ledger.invoice(held).orElseThrow().state()).isEqualTo(InvoiceState.HELD);
            assertThat(ledger.invoice(recent)).isPresent();
            assertThat(ledger.account("alice").orElseThrow().balanceMsat()).isEqualTo(7_000);
            assertThat(ledger.account("bob").orElseThrow().balanceMsat()).isEqualTo(2_000);
        }
    }
}
