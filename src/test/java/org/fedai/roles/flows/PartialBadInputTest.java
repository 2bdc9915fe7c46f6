package org.fedai.roles.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.flows.FlowMarket.CLIENT_FUNDS;
import static org.fedai.roles.flows.FlowMarket.WAIT;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.Quote;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dishonest partial node against the real router and client: a part invoiced for more than its share is refused. */
@RelayTest
class PartialBadInputTest {

    @TempDir
    Path dir;

    @Test
    void aPartInvoiceForMoreThanItsShareIsNeverPaid() throws Exception {
        try (FlowMarket m = FlowMarket.withScriptedNode(dir); RelayPool pool = m.newPool()) {
            ScriptedNode[] node = new ScriptedNode[1];
            node[0] = ScriptedNode.start(m, pool, PaymentTiming.PARTIAL, (q, order) -> {
                // part 1 of 2 asks the whole price
                invoice(node[0], q, 1, 2, q.nodePriceMsat());
            });
            var pending = m.submit(PaymentTiming.PARTIAL);

            await().atMost(WAIT).until(() -> m.client.rejections()
                    .getOrDefault("invoice_amount_differs_from_quote", 0L) == 1);
            assertThat(pending).isNotDone();
            assertThat(m.balance("client")).isEqualTo(CLIENT_FUNDS);
        }
    }

    private static void invoice(ScriptedNode node, Quote q, int part, int parts, long amountMsat) {
        byte[] preimage = new byte[32];
        new SecureRandom().nextBytes(preimage);
        InvoiceResult.Created made = (InvoiceResult.Created) node.wallet.makeHoldInvoice(InvoiceRequest.forJob(
                amountMsat, new JobBinding(q.jobId()), 600), Sha256.hash(preimage));
        node.publish(PaymentCodecs.encodeInvoice(new Invoice(q.jobId(), made.bolt11(), amountMsat, part, parts,
                made.expiresAt()), node.market.nodeKeys, q.client(), System.currentTimeMillis() / 1000));
    }
}
