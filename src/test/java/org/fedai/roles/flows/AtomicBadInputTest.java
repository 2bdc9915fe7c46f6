package org.fedai.roles.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.AtomicResult;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.ResultLock;
import org.fedai.roles.client.JobOutcome;
import org.fedai.store.InvoiceState;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dishonest node against the real router and client, played by the test with the real codecs and wallet: an
 * invoice for another hash than the locked result commits to is never paid; a result locked under another key
 * than the invoice's preimage is paid (atomic's stated limit) but refused as unopened, with the evidence kept.
 */
@RelayTest
class AtomicBadInputTest {

    private static final String OUTPUT = "[[0.5,-0.25],[0.125,1.0]]";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void anInvoiceWhoseHashDiffersFromTheCommittedOneIsNeverPaid() throws Exception {
        try (FlowMarket m = FlowMarket.withScriptedNode(dir); RelayPool pool = m.newPool()) {
            byte[] locking = preimage();
            byte[] invoiced = preimage();
            PaymentBackend wallet = scriptNode(m, pool, locking, AtomicResult.lock(OUTPUT, locking, "00".repeat(32),
                    RANDOM).lock().paymentHash(), invoiced);
            var pending = m.submit(PaymentTiming.ATOMIC);

            await().atMost(WAIT).until(() -> m.client.rejections().getOrDefault("invoice_hash_not_committed", 0L) == 1);
            assertThat(pending).isNotDone();
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS);
            assertThat(wallet.lookup(Sha256.hash(invoiced))).isInstanceOfSatisfying(LookupResult.Found.class,
                    f -> assertThat(f.state()).isEqualTo(InvoiceState.OPEN));
        }
    }

    @Test
    void aResultThePaidPreimageDoesNotOpenIsRefusedAndCounted() throws Exception {
        try (FlowMarket m = FlowMarket.withScriptedNode(dir); RelayPool pool = m.newPool()) {
            byte[] locking = preimage();
            byte[] invoiced = preimage();
            // the lock names the invoiced hash, but the ciphertext was sealed under another preimage
            PaymentBackend wallet = scriptNode(m, pool, locking, Hex.encode(Sha256.hash(invoiced)), invoiced);
            var pending = m.submit(PaymentTiming.ATOMIC);
            byte[] hash = Sha256.hash(invoiced);
            await().atMost(WAIT).until(() -> wallet.lookup(hash) instanceof LookupResult.Found f
                    && f.state() == InvoiceState.HELD);
            assertThat(wallet.settle(invoiced)).isInstanceOf(org.fedai.payment.HoldResult.Done.class);

            JobOutcome out = pending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(out.succeeded()).isFalse();
            assertThat(out.failure()).contains("result_not_opened");
            assertThat(m.client.rejections()).containsEntry("result_not_opened", 1L);
            // atomic's limit: the client paid before it could read; its proof still reached the router, which
            // verified it as always, and the node's signed 4406 with this preimage is the tampering evidence
            assertThat(out.paid().value()).isEqualTo(out.nodePrice().value() + out.routerFee().value());
            await().atMost(WAIT).until(() -> m.ledger.verifiedHashes(out.jobId(), "node")
                    .equals(List.of(Hex.encode(hash))));
        }
    }

    @Test
    void anInvoiceWithoutTheResultIsNeverPaid() throws Exception {
        try (FlowMarket m = FlowMarket.withScriptedNode(dir); RelayPool pool = m.newPool()) {
            byte[] p = preimage();
            PaymentBackend wallet = scriptNode(m, pool, p, Hex.encode(Sha256.hash(p)), p, false);
            JobOutcome out = m.submit(PaymentTiming.ATOMIC, 4).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            // the invoice came, the result never did: the client waited out deliver_by without paying
            assertThat(out.succeeded()).isFalse();
            assertThat(out.failure()).contains("deliver_by");
            assertThat(out.paid().value()).isZero();
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS);
            assertThat(wallet.lookup(Sha256.hash(p))).isInstanceOfSatisfying(LookupResult.Found.class,
                    f -> assertThat(f.state()).isEqualTo(InvoiceState.OPEN));
        }
    }

    private static byte[] preimage() {
        byte[] p = new byte[32];
        RANDOM.nextBytes(p);
        return p;
    }

    /**
     * Plays a node that takes atomic jobs: manifest and heartbeat, {@code accepted} on the quote, and on the work
     * order a result locked under {@code locking} whose lock names {@code committedHash}, then a hold invoice for
     * sha256({@code invoiced}).
     */
    private static PaymentBackend scriptNode(FlowMarket m, RelayPool pool, byte[] locking, String committedHash,
            byte[] invoiced) {
        return scriptNode(m, pool, locking, committedHash, invoiced, true);
    }

    private static PaymentBackend scriptNode(FlowMarket m, RelayPool pool, byte[] locking, String committedHash,
            byte[] invoiced, boolean sendResult) {
        ScriptedNode[] node = new ScriptedNode[1];
        node[0] = ScriptedNode.start(m, pool, PaymentTiming.ATOMIC, (q, order) -> {
            long t = System.currentTimeMillis() / 1000;
            AtomicResult.Locked sealed = AtomicResult.lock(OUTPUT, locking, q.jobId(), RANDOM);
            AtomicResult.Locked claimed = new AtomicResult.Locked(sealed.ciphertext(), new ResultLock(
                    sealed.lock().cipher(), committedHash, sealed.lock().nonce()));
            for (JobResult part : !sendResult ? List.<JobResult>of() : JobProgressCodecs.splitLocked(
                    q.jobId(), "vectors", claimed, JobResult.sha256(OUTPUT), 2, "text")) {
                node[0].publish(JobProgressCodecs.encodeResult(part, m.nodeKeys, q.client(), t));
            }
            InvoiceResult.Created invoice = (InvoiceResult.Created) node[0].wallet.makeHoldInvoice(
                    InvoiceRequest.forJob(q.nodePriceMsat(), new JobBinding(q.jobId()), 600), Sha256.hash(invoiced));
            node[0].publish(PaymentCodecs.encodeInvoice(new Invoice(q.jobId(), invoice.bolt11(), q.nodePriceMsat(),
                    1, 1, invoice.expiresAt()), m.nodeKeys, q.client(), t));
        });
        return node[0].wallet;
    }
}
