package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.ProtocolFixtures.CLIENT;
import static org.fedai.protocol.ProtocolFixtures.NODE;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.ROUTER;
import static org.fedai.protocol.ProtocolFixtures.open;
import static org.fedai.protocol.ProtocolFixtures.resealed;

import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuoteCodecTest {

    static final String JOB = "ab".repeat(32);
    static final Quote QUOTE = new Quote(JOB, CLIENT.publicKey(), NODE.publicKey(), "", "all-minilm-l6-v2-q",
            "embedding", "cd".repeat(32), 2, 2000, 120, "lnbcrt1fee", PaymentTiming.BEFORE, NOW + 60, NOW + 300,
            NOW + 120, false, "", null);

    private final Event toClient = EventSigner.sign(QuoteCodec.encode(QUOTE, ROUTER, CLIENT.publicKey(), NOW), ROUTER);

    private static Reason reasonOf(Event e, KeyPair recipient) {
        return switch (QuoteCodec.decode(e, recipient, NOW)) {
            case Decoded.Rejected<Quote> r -> r.rejection().reason();
            case Decoded.Accepted<Quote> a -> null;
        };
    }

    @Test
    void emptyContentIsUndecryptable() {
        assertThat(reasonOf(EventSigner.sign(new UnsignedEvent(NOW, 4401, toClient.tags(), ""), ROUTER), CLIENT))
                .isEqualTo(Reason.UNDECRYPTABLE);
    }

    @Test
    void anotherKindIsRejected() {
        Event other = EventSigner.sign(new UnsignedEvent(NOW, 4402, toClient.tags(), toClient.content()), ROUTER);
        assertThat(reasonOf(other, CLIENT)).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void roundTripsForEachRecipient() {
        assertThat(QuoteCodec.decode(toClient, CLIENT, NOW).orElseThrow()).isEqualTo(QUOTE);
        Event toNode = EventSigner.sign(QuoteCodec.encode(QUOTE, ROUTER, NODE.publicKey(), NOW), ROUTER);
        assertThat(QuoteCodec.decode(toNode, NODE, NOW).orElseThrow()).isEqualTo(QUOTE);
        assertThat(reasonOf(toNode, CLIENT)).isEqualTo(Reason.NOT_FOR_US);
        assertThat(KindSchemas.violations(toClient, open(toClient, CLIENT))).isEmpty();
        assertThat(QUOTE.totalMsat()).isEqualTo(2120);
    }

    @Test
    void expiredQuote() {
        assertThat(QuoteCodec.decode(toClient, CLIENT, NOW + 120).isAccepted()).isFalse();
    }

    @Test
    void acceptAfterDeliveryIsInconsistent() {
        Event e = resealed(toClient, ROUTER, CLIENT,
                s -> s.replace("\"accept_by\":" + (NOW + 60), "\"accept_by\":" + (NOW + 301)));
        assertThat(reasonOf(e, CLIENT)).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void freeQuoteRoundTripsAndValidates() {
        Quote free = QUOTE.toBuilder().work("echo", "embedding", "cd".repeat(32), 2).price(0, 0, "")
                .timing(PaymentTiming.FREE).build();
        Event e = EventSigner.sign(QuoteCodec.encode(free, ROUTER, CLIENT.publicKey(), NOW), ROUTER);
        assertThat(QuoteCodec.decode(e, CLIENT, NOW).orElseThrow()).isEqualTo(free);
        assertThat(KindSchemas.violations(e, open(e, CLIENT))).isEmpty();
    }

    @Test
    void onlyTheClientsCopyMustCarryTheFeeInvoice() {
        Quote nodeCopy = QUOTE.toBuilder().price(2000, 120, "").build();
        Event toNode = EventSigner.sign(QuoteCodec.encode(nodeCopy, ROUTER, NODE.publicKey(), NOW), ROUTER);
        assertThat(QuoteCodec.decode(toNode, NODE, NOW).orElseThrow()).isEqualTo(nodeCopy);
        Event toClient = EventSigner.sign(QuoteCodec.encode(nodeCopy, ROUTER, CLIENT.publicKey(), NOW), ROUTER);
        assertThat(reasonOf(toClient, CLIENT)).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void aNodeInvoiceRoundTripsForTimingsWithOneWholeInvoiceAndOnlyAsALightningInvoice() {
        Quote spare = QUOTE.toBuilder().nodeInvoice("lnbcrt20u1pspare").build();
        Event e = EventSigner.sign(QuoteCodec.encode(spare, ROUTER, CLIENT.publicKey(), NOW), ROUTER);
        assertThat(QuoteCodec.decode(e, CLIENT, NOW).orElseThrow()).isEqualTo(spare);
        assertThat(KindSchemas.violations(e, open(e, CLIENT))).isEmpty();
        assertThat(open(toClient, CLIENT)).doesNotContain("node_invoice"); // absent when none, as before it existed
        Event after = resealed(e, ROUTER, CLIENT, s -> s.replace("\"timing\":\"before\"", "\"timing\":\"after\""));
        assertThat(QuoteCodec.decode(after, CLIENT, NOW).orElseThrow().nodeInvoice()).isEqualTo("lnbcrt20u1pspare");
        for (String timing : java.util.List.of("hold", "atomic")) { // a hold spare
            Event held = resealed(e, ROUTER, CLIENT, s -> s.replace("\"timing\":\"before\"",
                    "\"timing\":\"" + timing + "\""));
            assertThat(QuoteCodec.decode(held, CLIENT, NOW).orElseThrow().nodeInvoice()).isEqualTo("lnbcrt20u1pspare");
        }
        Event partial = resealed(e, ROUTER, CLIENT, s -> s.replace("\"timing\":\"before\"", "\"timing\":\"partial\""));
        assertThat(reasonOf(partial, CLIENT)).isEqualTo(Reason.INCONSISTENT);
        Event notAnInvoice = resealed(e, ROUTER, CLIENT, s -> s.replace("lnbcrt20u1pspare", "bitcoin:xyz"));
        assertThat(reasonOf(notAnInvoice, CLIENT)).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void theNodesCopyCarriesTheEarlyInputItWasSealed() {
        Quote withInput = QUOTE.toBuilder().earlyInput(new EarlyInput.Forwarded("ciphertext", "sealed-key")).build();
        Event e = EventSigner.sign(QuoteCodec.encode(withInput, ROUTER, NODE.publicKey(), NOW), ROUTER);
        assertThat(QuoteCodec.decode(e, NODE, NOW).orElseThrow()).isEqualTo(withInput);
        assertThat(KindSchemas.violations(e, open(e, NODE))).isEmpty();
        assertThat(open(toClient, CLIENT)).doesNotContain("early_input");
        Event noKey = resealed(e, ROUTER, NODE, s -> s.replace(",\"key\":\"sealed-key\"", ""));
        assertThat(reasonOf(noKey, NODE)).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void runOnPaymentRoundTripsOnlyForBefore() {
        Quote fast = QUOTE.toBuilder().runOnPayment(true).build();
        Event e = EventSigner.sign(QuoteCodec.encode(fast, ROUTER, NODE.publicKey(), NOW), ROUTER);
        assertThat(QuoteCodec.decode(e, NODE, NOW).orElseThrow()).isEqualTo(fast);
        assertThat(KindSchemas.violations(e, open(e, NODE))).isEmpty();
        assertThat(open(toClient, CLIENT)).doesNotContain("run_on_payment"); // absent when false, as before it existed
        Event after = resealed(e, ROUTER, NODE, s -> s.replace("\"timing\":\"before\"", "\"timing\":\"after\""));
        assertThat(reasonOf(after, NODE)).isEqualTo(Reason.INCONSISTENT);
        Event notBoolean = resealed(e, ROUTER, NODE, s -> s.replace("\"run_on_payment\":true",
                "\"run_on_payment\":\"yes\""));
        assertThat(reasonOf(notBoolean, NODE)).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void pricedQuoteIsNeverFree() {
        Event priced = resealed(toClient, ROUTER, CLIENT,
                s -> s.replace("\"timing\":\"before\"", "\"timing\":\"free\""));
        assertThat(reasonOf(priced, CLIENT)).isEqualTo(Reason.INCONSISTENT);
        assertThat(KindSchemas.violations(priced, open(priced, CLIENT))).isNotEmpty();
        Event feeOnly = resealed(toClient, ROUTER, CLIENT, s -> s.replace("\"node_price_msat\":2000",
                "\"node_price_msat\":0").replace("\"timing\":\"before\"", "\"timing\":\"free\""));
        assertThat(reasonOf(feeOnly, CLIENT)).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void zeroPricedQuoteMustSayFree() {
        Event zero = resealed(toClient, ROUTER, CLIENT, s -> s.replace("\"node_price_msat\":2000",
                "\"node_price_msat\":0").replace("\"router_fee_msat\":120", "\"router_fee_msat\":0"));
        assertThat(reasonOf(zero, CLIENT)).isEqualTo(Reason.INCONSISTENT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "job differs from e tag   | \"job\":\"ab          | \"job\":\"ef",
        "bad node key             | \"node\":\"           | \"node\":\"x",
        "bad fallback             | \"fallback\":\"\"     | \"fallback\":\"zz\"",
        "fee without invoice      | \"lnbcrt1fee\"        | \"\"",
        "negative price           | \"node_price_msat\":2000 | \"node_price_msat\":-1",
        "unknown timing           | \"timing\":\"before\" | \"timing\":\"later\"",
    })
    void malformedQuoteIsRejected(String name, String from, String to) {
        assertThat(open(toClient, CLIENT)).contains(from);
        assertThat(reasonOf(resealed(toClient, ROUTER, CLIENT, s -> s.replace(from, to)), CLIENT)).as(name)
                .isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void theBuilderNamesWhatTheConstructorTakesByPositionAndToBuilderKeepsEveryField() {
        assertThat(QUOTE.toBuilder().build()).isEqualTo(QUOTE);
        assertThat(Quote.builder().jobId(JOB).parties(CLIENT.publicKey(), NODE.publicKey())
                .work("all-minilm-l6-v2-q", "embedding", "cd".repeat(32), 2).price(2000, 120, "lnbcrt1fee")
                .timing(PaymentTiming.BEFORE).deadlines(NOW + 60, NOW + 300, NOW + 120).build()).isEqualTo(QUOTE);
    }
}
