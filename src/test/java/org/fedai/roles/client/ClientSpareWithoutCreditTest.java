package org.fedai.roles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.roles.client.ClientMachineWalk.FEE;
import static org.fedai.roles.client.ClientMachineWalk.FUNDS;
import static org.fedai.roles.client.ClientMachineWalk.PRICE;
import static org.fedai.roles.client.ClientMachineWalk.of;

import java.nio.file.Path;
import java.util.List;
import org.fedai.domain.PaymentTiming;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.Quote;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's machine on a before quote that carries the node's hold spare without {@code run_on_payment} (a client
 * the router gives no fee credit: a newcomer's first job). The node's payment is only locked until the node settles
 * it on the router's order, and the router orders once its fee is paid, so both are paid at once and the fee is proved
 * alone as soon as the wallet answers it (4403, "The fee proved alone").
 */
class ClientSpareWithoutCreditTest {

    @TempDir
    Path dir;
    ClientMachineWalk walk;

    @BeforeEach
    void open() {
        walk = new ClientMachineWalk(dir);
    }

    @AfterEach
    void close() {
        walk.close();
    }

    /**
     * Invariants: each invoice is paid once; the fee is proved before the node runs (nothing else lets the router order
     * it); the result is handed over as it comes, and the node's preimage is proved after it, before the client closes.
     */
    @Test
    void bothArePaidAtOnceTheFeeIsProvedAloneAndTheNodesPreimageAfterTheResult() throws Exception {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        byte[] preimage = ClientMachineWalk.random32();
        String spare = walk.spareHoldBolt11(PRICE, preimage);
        String fee = walk.spareBolt11(walk.routerWallet, FEE);
        List<ClientAction> quoted = walk.feed(new ClientInput.QuoteReceived(walk.signed(walk.router, FedaiKind.QUOTE),
                quote(fee, spare)));
        assertThat(of(quoted, ClientAction.Pay.class)).extracting(ClientAction.Pay::bolt11).as("both at once")
                .containsExactlyInAnyOrder(spare, fee);

        List<ClientAction> paid = walk.payAll(quoted);
        assertThat(of(paid, ClientAction.SendProof.class)).as("the fee proved alone, as soon as it is answered")
                .singleElement().satisfies(p -> assertThat(p.paid()).singleElement()
                        .satisfies(entry -> assertThat(entry.bolt11()).isEqualTo(fee)));
        ClientAction.LookUpLater look = of(paid, ClientAction.LookUpLater.class).get(0);
        assertThat(look.bolt11()).as("the node's payment only locked").isEqualTo(spare);
        assertThat(walk.network.balance("client")).isEqualTo(FUNDS - PRICE - FEE);

        JobResult result = new JobResult(walk.job.jobId.hex(), "vectors", "[1]", 1, 1, JobResult.sha256("[1]"), 1,
                "texts");
        assertThat(walk.feed(new ClientInput.ResultReceived(walk.signed(walk.node, FedaiKind.JOB_RESULT), result)))
                .as("the node ran on the router's order, which the fee brought").contains(
                        new ClientAction.Complete("vectors", "[1]"));
        assertThat(walk.job.proofOwed).as("the node's preimage is still to prove").isTrue();
        walk.nodeWallet.settle(preimage);
        List<ClientAction> settled = walk.feed(new ClientInput.LookedUp(look, walk.payer.lookUp(look.paymentHashHex())));
        assertThat(of(settled, ClientAction.SendProof.class)).singleElement()
                .satisfies(p -> assertThat(p.paid()).hasSize(2));
        assertThat(walk.job.proofOwed).isFalse();
        assertThat(walk.network.balance("client")).as("each paid once").isEqualTo(FUNDS - PRICE - FEE);
    }

    /**
     * The router's failover quote while the node's payment is only locked: taken, as under run_on_payment (the first
     * node never gets the order, so never settles). Invariant: a client that pays ends with the result or its money.
     */
    @Test
    void aFailoverQuoteIsTakenWhileTheNodesPaymentIsOnlyLocked() {
        walk.start(PaymentTiming.BEFORE, List.of("a"));
        String fee = walk.spareBolt11(walk.routerWallet, FEE);
        walk.payAll(walk.feed(new ClientInput.QuoteReceived(walk.signed(walk.router, FedaiKind.QUOTE),
                quote(fee, walk.spareHoldBolt11(PRICE, ClientMachineWalk.random32())))));
        List<ClientAction> failover = walk.feed(new ClientInput.QuoteReceived(walk.signed(walk.router, FedaiKind.QUOTE),
                walk.quote(PaymentTiming.BEFORE, FEE).toBuilder().price(PRICE, FEE, fee).build()));
        assertThat(failover).doesNotContain(new ClientAction.Count("quote_after_payment"));
        assertThat(walk.job.quotes).isEqualTo(2);
        assertThat(walk.job.finished()).isFalse();
    }

    private Quote quote(String feeInvoice, String spare) {
        return walk.quote(PaymentTiming.BEFORE, FEE).toBuilder().price(PRICE, FEE, feeInvoice).nodeInvoice(spare).build();
    }
}
