package org.fedai.payment.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.PayResult;
import org.fedai.testing.ProcessTest;
import org.fedai.testing.ThirdPartyRelay;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dev wallet service and NwcPaymentBackend through a relay we did not write (CodyTseng's nostr-relay). */
@ProcessTest
class NwcOnThirdPartyRelayTest {

    @BeforeEach
    void needsTheRelay() {
        ThirdPartyRelay.assumeAvailable();
    }

    @Test
    void invoiceAndPaymentTravelThroughTheThirdPartyRelay() throws Exception {
        try (ThirdPartyRelay relay = ThirdPartyRelay.start();
             DevWalletServer server = DevWalletServer.start(new DevWalletServer.Config(List.of(relay.url().toString()),
                     null, 2, 50_000, KeyPair.generate(), DevWalletBackend.Faults.NONE));
             RelayPool nodePool = PoolNwcTransport.connect(List.of(relay.url().toString()));
             RelayPool clientPool = PoolNwcTransport.connect(List.of(relay.url().toString()));
             NwcClient nodeClient = new NwcClient(server.uris().get(0), new PoolNwcTransport(nodePool),
                     NwcClient.Timeouts.DEFAULT, Clock.systemUTC());
             NwcClient clientClient = new NwcClient(server.uris().get(1), new PoolNwcTransport(clientPool),
                     NwcClient.Timeouts.DEFAULT, Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(20)).until(server::connected);
            NwcPaymentBackend node = NwcPaymentBackend.connect(nodeClient);
            NwcPaymentBackend client = NwcPaymentBackend.connect(clientClient);
            JobBinding job = new JobBinding(Hex.encode(Sha256.hash(new byte[] {42})));

            InvoiceResult made = node.makeInvoice(InvoiceRequest.forJob(12_000, job, 600));
            assertThat(made).isInstanceOf(InvoiceResult.Created.class);
            InvoiceResult.Created invoice = (InvoiceResult.Created) made;
            PayResult paid = client.pay(invoice.bolt11(), OptionalLong.empty());
            assertThat(paid).isInstanceOfSatisfying(PayResult.Paid.class,
                    p -> assertThat(Sha256.hash(p.preimage())).isEqualTo(invoice.paymentHash()));
            assertThat(server.balanceMsat(server.uris().get(0))).isEqualTo(62_000);
            assertThat(server.balanceMsat(server.uris().get(1))).isEqualTo(38_000);
        }
    }
}
