package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedai.protocol.ProtocolFixtures.CLIENT;
import static org.fedai.protocol.ProtocolFixtures.NODE;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.ROUTER;
import static org.fedai.protocol.ProtocolFixtures.open;
import static org.fedai.protocol.ProtocolFixtures.resealed;

import java.util.List;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;

class PaymentCodecsTest {

    static final String JOB = "ab".repeat(32);
    static final Invoice INVOICE = new Invoice(JOB, "lnbcrt20u1pexample", 2000, 1, 1, NOW + 600);
    static final PaymentProof PROOF = new PaymentProof(JOB,
            List.of(new PaymentProof.Paid("lnbcrt20u1pexample", "11".repeat(32))));
    static final WorkOrder ORDER = new WorkOrder(JOB, "cd".repeat(32), CLIENT.publicKey(),
            WorkAuthorization.PAID, List.of("ef".repeat(32)), NOW + 300);

    private final Event invoice = EventSigner.sign(PaymentCodecs.encodeInvoice(INVOICE, NODE, CLIENT.publicKey(), NOW),
            NODE);
    private final Event proof = EventSigner.sign(PaymentCodecs.encodeProof(PROOF, CLIENT, ROUTER.publicKey(), NOW),
            CLIENT);
    private final Event order = EventSigner.sign(PaymentCodecs.encodeWorkOrder(ORDER, ROUTER, NODE.publicKey(), NOW),
            ROUTER);

    private static <T> Reason reason(Decoded<T> d) {
        return d instanceof Decoded.Rejected<T> r ? r.rejection().reason() : null;
    }

    @Test
    void emptyContentIsUndecryptable() {
        Event empty = EventSigner.sign(new UnsignedEvent(NOW, 4402, invoice.tags(), ""), NODE);
        assertThat(reason(PaymentCodecs.decodeInvoice(empty, CLIENT, NOW))).isEqualTo(Reason.UNDECRYPTABLE);
    }

    @Test
    void kindsAreNotInterchangeable() {
        assertThat(reason(PaymentCodecs.decodeProof(invoice, CLIENT, NOW))).isEqualTo(Reason.WRONG_KIND);
        assertThat(reason(PaymentCodecs.decodeWorkOrder(proof, ROUTER, NOW))).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void eachRoundTripsForItsRecipientAndConformsToSchema() {
        assertThat(PaymentCodecs.decodeInvoice(invoice, CLIENT, NOW).orElseThrow()).isEqualTo(INVOICE);
        assertThat(PaymentCodecs.decodeProof(proof, ROUTER, NOW).orElseThrow()).isEqualTo(PROOF);
        assertThat(PaymentCodecs.decodeWorkOrder(order, NODE, NOW).orElseThrow()).isEqualTo(ORDER);
        assertThat(KindSchemas.violations(invoice, open(invoice, CLIENT))).isEmpty();
        assertThat(KindSchemas.violations(proof, open(proof, ROUTER))).isEmpty();
        assertThat(KindSchemas.violations(order, open(order, NODE))).isEmpty();
    }

    @Test
    void aSpareInvoiceIsForTheRouterAndNeverTakenForAClientsInvoice() {
        SpareInvoice spare = new SpareInvoice(JOB, "lnbcrt20u1pspare", 2000, NOW + 3600, false);
        Event e = EventSigner.sign(PaymentCodecs.encodeSpare(spare, NODE, ROUTER.publicKey(), NOW), NODE);
        assertThat(PaymentCodecs.decodeSpare(e, ROUTER, NOW).orElseThrow()).isEqualTo(spare);
        assertThat(KindSchemas.violations(e, open(e, ROUTER))).isEmpty();
        assertThat(reason(PaymentCodecs.decodeInvoice(e, ROUTER, NOW))).isEqualTo(Reason.INCONSISTENT);
        assertThat(reason(PaymentCodecs.decodeSpare(invoice, CLIENT, NOW))).isEqualTo(Reason.INCONSISTENT);
        Event noAmount = resealed(e, NODE, ROUTER, s -> s.replace("\"amount_msat\":2000", "\"amount_msat\":0"));
        assertThat(reason(PaymentCodecs.decodeSpare(noAmount, ROUTER, NOW))).isEqualTo(Reason.MALFORMED_CONTENT);
        Event twoParts = resealed(e, NODE, ROUTER, s -> s.replace("\"parts\":1", "\"parts\":2"));
        assertThat(reason(PaymentCodecs.decodeSpare(twoParts, ROUTER, NOW))).isEqualTo(Reason.MALFORMED_CONTENT);
        assertThat(reason(PaymentCodecs.decodeSpare(e, ROUTER, NOW + 3600))).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void aSpareSaysWhetherItIsAHoldInvoice() {
        SpareInvoice hold = new SpareInvoice(JOB, "lnbcrt20u1pspare", 2000, NOW + 3600, true);
        Event e = EventSigner.sign(PaymentCodecs.encodeSpare(hold, NODE, ROUTER.publicKey(), NOW), NODE);
        assertThat(PaymentCodecs.decodeSpare(e, ROUTER, NOW).orElseThrow()).isEqualTo(hold);
        assertThat(KindSchemas.violations(e, open(e, ROUTER))).isEmpty();
        Event notABoolean = resealed(e, NODE, ROUTER, s -> s.replace("\"hold\":true", "\"hold\":\"yes\""));
        assertThat(reason(PaymentCodecs.decodeSpare(notABoolean, ROUTER, NOW))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void onlyTheRecipientCanOpen() {
        assertThat(reason(PaymentCodecs.decodeProof(proof, NODE, NOW))).isEqualTo(Reason.NOT_FOR_US);
        assertThat(reason(PaymentCodecs.decodeWorkOrder(order, CLIENT, NOW))).isEqualTo(Reason.NOT_FOR_US);
    }

    @Test
    void expiredInvoice() {
        assertThat(reason(PaymentCodecs.decodeInvoice(invoice, CLIENT, NOW + 600))).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void invoicePartOutOfRange() {
        Event e = resealed(invoice, NODE, CLIENT, s -> s.replace("\"part\":1", "\"part\":2"));
        assertThat(reason(PaymentCodecs.decodeInvoice(e, CLIENT, NOW))).isEqualTo(Reason.MALFORMED_CONTENT);
        assertThatThrownBy(() -> new Invoice(JOB, "ln", 1, 0, 1, NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invoiceThatIsNotLightning() {
        Event e = resealed(invoice, NODE, CLIENT, s -> s.replace("lnbcrt20u1pexample", "bitcoin:bc1q"));
        assertThat(reason(PaymentCodecs.decodeInvoice(e, CLIENT, NOW))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void proofForAnotherJobIsRejected() {
        Event e = resealed(proof, CLIENT, ROUTER, s -> s.replace(JOB, "99".repeat(32)));
        assertThat(reason(PaymentCodecs.decodeProof(e, ROUTER, NOW))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void proofWithMalformedPreimage() {
        Event e = resealed(proof, CLIENT, ROUTER, s -> s.replace("11".repeat(32), "11"));
        assertThat(reason(PaymentCodecs.decodeProof(e, ROUTER, NOW))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void proofWithTooManyEntries() {
        String many = String.join(",", java.util.Collections.nCopies(PaymentCodecs.MAX_PROOFS + 1,
                "{\"bolt11\":\"ln\",\"preimage\":\"" + "11".repeat(32) + "\"}"));
        Event e = resealed(proof, CLIENT, ROUTER, s -> s.replaceFirst("\\[.*\\]", "[" + many + "]"));
        assertThat(reason(PaymentCodecs.decodeProof(e, ROUTER, NOW))).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void paidOrderWithoutHashesIsInconsistent() {
        Event e = resealed(order, ROUTER, NODE, s -> s.replace("[\"" + "ef".repeat(32) + "\"]", "[]"));
        assertThat(reason(PaymentCodecs.decodeWorkOrder(e, NODE, NOW))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void payAfterOrderNeedsNoHashes() {
        WorkOrder after = new WorkOrder(JOB, "cd".repeat(32), CLIENT.publicKey(), WorkAuthorization.PAY_AFTER,
                List.of(), NOW + 300);
        Event e = EventSigner.sign(PaymentCodecs.encodeWorkOrder(after, ROUTER, NODE.publicKey(), NOW), ROUTER);
        assertThat(PaymentCodecs.decodeWorkOrder(e, NODE, NOW).orElseThrow()).isEqualTo(after);
    }

    @Test
    void freeOrderRoundTripsWithoutHashes() {
        WorkOrder free = new WorkOrder(JOB, "cd".repeat(32), CLIENT.publicKey(), WorkAuthorization.FREE,
                List.of(), NOW + 300);
        Event e = EventSigner.sign(PaymentCodecs.encodeWorkOrder(free, ROUTER, NODE.publicKey(), NOW), ROUTER);
        assertThat(PaymentCodecs.decodeWorkOrder(e, NODE, NOW).orElseThrow()).isEqualTo(free);
        assertThat(KindSchemas.violations(e, open(e, NODE))).isEmpty();
    }

    @Test
    void freeOrderWithHashesIsInconsistent() {
        Event e = resealed(order, ROUTER, NODE, s -> s.replace("\"authorization\":\"paid\"",
                "\"authorization\":\"free\""));
        assertThat(reason(PaymentCodecs.decodeWorkOrder(e, NODE, NOW))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void orderPastItsDeadline() {
        assertThat(reason(PaymentCodecs.decodeWorkOrder(order, NODE, NOW + 300))).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void orderRepeatsItsDeadlineInPublicAndItMustAgree() {
        assertThat(order.firstTagValue("deliver_by")).contains(Long.toString(NOW + 300));
        List<List<String>> moved = order.tags().stream()
                .map(t -> t.get(0).equals("deliver_by") ? List.of("deliver_by", Long.toString(NOW + 900)) : t).toList();
        Event e = EventSigner.sign(new UnsignedEvent(NOW, 4404, moved, order.content()), ROUTER);
        assertThat(reason(PaymentCodecs.decodeWorkOrder(e, NODE, NOW))).isEqualTo(Reason.INCONSISTENT);
        List<List<String>> none = order.tags().stream().filter(t -> !t.get(0).equals("deliver_by")).toList();
        Event bare = EventSigner.sign(new UnsignedEvent(NOW, 4404, none, order.content()), ROUTER);
        assertThat(reason(PaymentCodecs.decodeWorkOrder(bare, NODE, NOW))).isEqualTo(Reason.MISSING_TAG);
    }

    @Test
    void unknownAuthorization() {
        Event e = resealed(order, ROUTER, NODE, s -> s.replace("\"paid\"", "\"promised\""));
        assertThat(reason(PaymentCodecs.decodeWorkOrder(e, NODE, NOW))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void forgedRecipientTagIsNotOurs() {
        KeyPair stranger = KeyPair.generate();
        assertThat(reason(PaymentCodecs.decodeInvoice(invoice, stranger, NOW))).isEqualTo(Reason.NOT_FOR_US);
    }
}
