package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.PayResult;
import org.fedai.payment.PaymentProofVerifier;
import org.fedai.payment.SpareBinding;
import org.fedai.protocol.PaymentProof;
import org.fedai.roles.router.machine.ProofOutcome;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;
import org.fedai.store.SqlitePaymentHashRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's proof check for a quote that carried spare invoices (4402 "Spare invoices"), on real BOLT11 invoices
 * from dev wallets and a real preimage. Invariants: a spare is proved only for the job whose quote named it, and only
 * once; a proof naming another node invoice for that job is refused.
 */
class PaymentCheckSpareTest {

    static final long PRICE = 2_000;
    static final long FEE = 120;

    @TempDir
    Path dir;
    private DevWalletNetwork network;
    private RouterLedger ledger;
    private PaymentCheck check;
    private DevWallet client;
    private DevWallet node;
    private DevWallet routerWallet;
    private final KeyPair router = KeyPair.generate();
    private final PublicKey clientKey = PublicKey.of(KeyPair.generate().publicKey());
    private final PublicKey nodeKey = PublicKey.of(KeyPair.generate().publicKey());

    @BeforeEach
    void open() {
        network = DevWalletNetwork.open(dir.resolve("wallets.db"));
        client = network.wallet("client", KeyPair.generate().secretKey());
        node = network.wallet("node", KeyPair.generate().secretKey());
        routerWallet = network.wallet("router", KeyPair.generate().secretKey());
        network.deposit("client", 100_000);
        ledger = RouterLedger.open(dir.resolve("router.db"));
        check = new PaymentCheck(new PaymentProofVerifier(SqlitePaymentHashRegistry.inMemory(), Duration.ofSeconds(30)),
                routerWallet, ledger, PublicKey.of(router.publicKey()));
    }

    @AfterEach
    void close() {
        ledger.close();
        network.close();
    }

    private String spare(DevWallet payee, long amount) {
        return ((InvoiceResult.Created) payee.makeInvoice(InvoiceRequest.spare(amount,
                new SpareBinding(router.publicKey()), 3600))).bolt11();
    }

    private PaymentProof.Paid paid(String bolt11) {
        PayResult.Paid p = (PayResult.Paid) client.pay(bolt11, OptionalLong.empty());
        return new PaymentProof.Paid(bolt11, Hex.encode(p.preimage()));
    }

    private RouterQuoteRow quote(JobId job, String nodeInvoice, String feeInvoice) {
        String feeHash = org.fedai.payment.Bolt11Codec.decode(feeInvoice).paymentHashHex();
        ledger.openJob(job, clientKey, "{}", now());
        return RouterQuoteRow.builder().copies(EventId.of(job.hex()), EventId.of(job.hex()))
                .job(job, clientKey, PaymentTiming.BEFORE).node(nodeKey, Optional.empty(), node.nodeId(), "regtest")
                .price(Msat.of(PRICE), Msat.of(FEE), feeInvoice, feeHash).deadlines(now() + 60, now() + 300, now() + 120)
                .createdAtMs(now() * 1000).runOnPayment(true).nodeInvoice(nodeInvoice).build();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void theQuotedSparesProveTheirJobOnceAndNoOtherNodeInvoiceDoes() {
        JobId job = JobId.of("a1".repeat(32));
        String nodeSpare = spare(node, PRICE);
        String feeSpare = spare(routerWallet, FEE);
        RouterQuoteRow q = quote(job, nodeSpare, feeSpare);
        PaymentProof.Paid nodePaid = paid(nodeSpare);
        ProofOutcome outcome = check.check(new PaymentProof(job.hex(), List.of(nodePaid, paid(feeSpare))), q,
                false, now(), 0);
        assertThat(outcome).isInstanceOfSatisfying(ProofOutcome.Verified.class, v -> assertThat(v.complete()).isTrue());

        // another job whose quote named a different spare: the first spare's proof does not pay for it
        JobId other = JobId.of("b2".repeat(32));
        RouterQuoteRow another = quote(other, spare(node, PRICE), spare(routerWallet, FEE));
        assertThat(check.check(new PaymentProof(other.hex(), List.of(nodePaid)), another, false, now(), 0))
                .isInstanceOfSatisfying(ProofOutcome.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo("not_the_quoted_invoice"));
        // and a quote naming the spent spare again (a router quoting one twice): spent once, refused after
        JobId twice = JobId.of("e5".repeat(32));
        RouterQuoteRow reused = quote(twice, nodeSpare, spare(routerWallet, FEE));
        assertThat(check.check(new PaymentProof(twice.hex(), List.of(nodePaid)), reused, false, now(), 0))
                .isInstanceOfSatisfying(ProofOutcome.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo("already_spent"));

        // a job-bound node invoice where the quote named a spare: not the quoted one
        JobId third = JobId.of("c3".repeat(32));
        RouterQuoteRow spared = quote(third, spare(node, PRICE), spare(routerWallet, FEE));
        String jobBound = ((InvoiceResult.Created) node.makeInvoice(InvoiceRequest.forJob(PRICE,
                new JobBinding(third.hex()), 600))).bolt11();
        assertThat(check.check(new PaymentProof(third.hex(), List.of(paid(jobBound))), spared, false, now(), 0))
                .isInstanceOfSatisfying(ProofOutcome.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo("not_the_quoted_invoice"));
    }

    @Test
    void aSpareProvedForItsJobIsSpentAndCannotProveItAgain() {
        JobId job = JobId.of("d4".repeat(32));
        String nodeSpare = spare(node, PRICE);
        String feeSpare = spare(routerWallet, FEE);
        RouterQuoteRow q = quote(job, nodeSpare, feeSpare);
        List<PaymentProof.Paid> proof = List.of(paid(nodeSpare), paid(feeSpare));
        assertThat(check.check(new PaymentProof(job.hex(), proof), q, false, now(), 0))
                .isInstanceOf(ProofOutcome.Verified.class);
        assertThat(check.check(new PaymentProof(job.hex(), proof), q, true, now(), 0))
                .isInstanceOfSatisfying(ProofOutcome.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo("already_spent"));
    }
}
