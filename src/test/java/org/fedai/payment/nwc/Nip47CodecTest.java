package org.fedai.payment.nwc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip04;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.UnsignedEvent;
import org.junit.jupiter.api.Test;

class Nip47CodecTest {

    private static final String HASH = "a".repeat(64);
    private static final String PREIMAGE = "0123456789abcdef".repeat(4);
    private static final KeyPair WALLET = KeyPair.generate();
    private static final KeyPair CLIENT = KeyPair.generate();

    // ---- request content ----

    @Test
    void everyRequestVariantRoundTrips() {
        List<NwcRequest> requests = List.of(
                new NwcRequest.PayInvoice("lnbc50n1xyz", null),
                new NwcRequest.PayInvoice("lnbc1xyz", 123_000L),
                new NwcRequest.MakeInvoice(21_000, "coffee", null, 600L),
                new NwcRequest.LookupInvoice(HASH, null),
                new NwcRequest.LookupInvoice(null, "lnbc1xyz"),
                new NwcRequest.GetBalance(),
                new NwcRequest.GetInfo(),
                new NwcRequest.ListTransactions(1_693_876_973L, 1_703_225_078L, 10, 0, true, NwcTransaction.Type.INCOMING),
                new NwcRequest.ListTransactions(null, null, null, null, null, null),
                new NwcRequest.MakeHoldInvoice(5_000, HASH, "escrow", null, 1000L, 200),
                new NwcRequest.SettleHoldInvoice(PREIMAGE),
                new NwcRequest.CancelHoldInvoice(HASH));
        for (NwcRequest r : requests) {
            assertThat(NwcRequest.parse(NwcRequest.toJson(r))).isEqualTo(r);
        }
        assertThat(NwcRequest.toJson(new NwcRequest.MakeHoldInvoice(5_000, HASH, null, null, null, 144)))
                .isEqualTo("{\"method\":\"make_hold_invoice\",\"params\":{\"amount\":5000,\"payment_hash\":\"" + HASH
                        + "\",\"min_cltv_expiry_delta\":144}}");
    }

    @Test
    void specShapedRequestsParse() {
        assertThat(NwcRequest.parse("{\"method\":\"pay_invoice\",\"params\":{\"invoice\":\"lnbc50n1...\"}}"))
                .isEqualTo(new NwcRequest.PayInvoice("lnbc50n1...", null));
        assertThat(NwcRequest.parse("{\"method\":\"get_balance\",\"params\":{}}")).isEqualTo(new NwcRequest.GetBalance());
        // wallets and clients send null for absent optionals, and may omit params entirely
        assertThat(NwcRequest.parse("{\"method\":\"get_info\"}")).isEqualTo(new NwcRequest.GetInfo());
        assertThat(NwcRequest.parse("{\"method\":\"make_invoice\",\"params\":{\"amount\":1000,\"description\":null}}"))
                .isEqualTo(new NwcRequest.MakeInvoice(1000, null, null, null));
    }

    @Test
    void eachMalformedRequestNamesItsReason() {
        assertReason(() -> NwcRequest.parse("not json"), Nip47Exception.Reason.MALFORMED_JSON);
        assertReason(() -> NwcRequest.parse("[1]"), Nip47Exception.Reason.MALFORMED_JSON);
        assertReason(() -> NwcRequest.parse("{}"), Nip47Exception.Reason.MISSING_FIELD);
        assertReason(() -> NwcRequest.parse("{\"method\":7}"), Nip47Exception.Reason.MALFORMED_FIELD);
        assertMethodReason("{\"method\":\"pay_keysend\",\"params\":{}}", "pay_keysend", Nip47Exception.Reason.UNKNOWN_METHOD);
        assertMethodReason("{\"method\":\"pay_invoice\",\"params\":[]}", "pay_invoice", Nip47Exception.Reason.MALFORMED_FIELD);
        assertMethodReason("{\"method\":\"pay_invoice\",\"params\":{}}", "pay_invoice", Nip47Exception.Reason.MISSING_FIELD);
        assertMethodReason("{\"method\":\"pay_invoice\",\"params\":{\"invoice\":\"ln\",\"amount\":-1}}", "pay_invoice",
                Nip47Exception.Reason.MALFORMED_FIELD);
        assertMethodReason("{\"method\":\"pay_invoice\",\"params\":{\"invoice\":\"ln\",\"amount\":\"5\"}}", "pay_invoice",
                Nip47Exception.Reason.MALFORMED_FIELD);
        assertMethodReason("{\"method\":\"make_invoice\",\"params\":{\"amount\":1.5}}", "make_invoice",
                Nip47Exception.Reason.MALFORMED_FIELD);
        assertMethodReason("{\"method\":\"make_invoice\",\"params\":{}}", "make_invoice", Nip47Exception.Reason.MISSING_FIELD);
        assertMethodReason("{\"method\":\"lookup_invoice\",\"params\":{}}", "lookup_invoice", Nip47Exception.Reason.MISSING_FIELD);
        assertMethodReason("{\"method\":\"list_transactions\",\"params\":{\"type\":\"sideways\"}}", "list_transactions",
                Nip47Exception.Reason.MALFORMED_FIELD);
        assertMethodReason("{\"method\":\"list_transactions\",\"params\":{\"unpaid\":\"yes\"}}", "list_transactions",
                Nip47Exception.Reason.MALFORMED_FIELD);
        assertMethodReason("{\"method\":\"settle_hold_invoice\",\"params\":{\"preimage\":\"abcd\"}}", "settle_hold_invoice",
                Nip47Exception.Reason.MALFORMED_FIELD);
        assertMethodReason("{\"method\":\"make_hold_invoice\",\"params\":{\"amount\":1}}", "make_hold_invoice",
                Nip47Exception.Reason.MISSING_FIELD);
        assertMethodReason("{\"method\":\"cancel_hold_invoice\",\"params\":{\"payment_hash\":5}}", "cancel_hold_invoice",
                Nip47Exception.Reason.MALFORMED_FIELD);
    }

    // ---- response content ----

    @Test
    void responsesRoundTripForEveryResultShape() {
        NwcTransaction tx = new NwcTransaction(NwcTransaction.Type.INCOMING, NwcTransaction.State.PENDING, "lnbc1xyz",
                "coffee", null, null, HASH, 21_000, 0L, 1_700_000_000L, 1_700_000_600L, null);
        List<NwcResponse> responses = List.of(
                NwcResponse.success(NwcMethod.PAY_INVOICE, new NwcResult.Paid(PREIMAGE, 12L)),
                NwcResponse.success(NwcMethod.MAKE_INVOICE, new NwcResult.Transaction(tx)),
                NwcResponse.success(NwcMethod.GET_BALANCE, new NwcResult.Balance(10_000)),
                NwcResponse.success(NwcMethod.GET_INFO, new NwcResult.Info("fedai", null, null, "regtest", 5L, null,
                        List.of("pay_invoice"), List.of("payment_received"))),
                NwcResponse.success(NwcMethod.LIST_TRANSACTIONS, new NwcResult.Transactions(List.of(tx, tx))),
                NwcResponse.success(NwcMethod.SETTLE_HOLD_INVOICE, new NwcResult.Empty()),
                NwcResponse.failure("pay_invoice", NwcErrorCode.INSUFFICIENT_BALANCE, "need 21 sat"),
                NwcResponse.failure("pay_keysend", NwcErrorCode.NOT_IMPLEMENTED, "no"));
        for (NwcResponse r : responses) {
            assertThat(NwcResponse.parse(NwcResponse.toJson(r))).isEqualTo(r);
        }
    }

    @Test
    void specShapedResponsesParse() {
        NwcResponse error = NwcResponse.parse("{\"result_type\":\"pay_invoice\",\"error\":{\"code\":\"UNAUTHORIZED\","
                + "\"message\":\"human readable error message\"},\"result\":null}");
        assertThat(error.error()).isEqualTo(new NwcResponse.Error(NwcErrorCode.UNAUTHORIZED, "human readable error message"));
        NwcResponse paid = NwcResponse.parse("{\"result_type\":\"pay_invoice\",\"result\":{\"preimage\":\"0123456789abcdef\"}}");
        assertThat(paid.result()).isEqualTo(new NwcResult.Paid("0123456789abcdef", null));
        // a code this library does not know is kept, as OTHER, at the front of the message
        NwcResponse unknown = NwcResponse.parse("{\"result_type\":\"pay_invoice\",\"error\":{\"code\":\"BAD_REQUEST\",\"message\":\"m\"}}");
        assertThat(unknown.error()).isEqualTo(new NwcResponse.Error(NwcErrorCode.OTHER, "BAD_REQUEST: m"));
        // an unknown transaction state is forward-compatible: read as null
        NwcResponse lookup = NwcResponse.parse("{\"result_type\":\"lookup_invoice\",\"result\":{\"type\":\"incoming\","
                + "\"state\":\"frozen\",\"payment_hash\":\"" + HASH + "\",\"amount\":1,\"created_at\":2,\"metadata\":{}}}");
        assertThat(((NwcResult.Transaction) lookup.result()).transaction().state()).isNull();
    }

    @Test
    void eachMalformedResponseNamesItsReason() {
        assertReason(() -> NwcResponse.parse("{\"result_type\":\"get_balance\",\"error\":null,\"result\":null}"),
                Nip47Exception.Reason.MISSING_FIELD);
        assertReason(() -> NwcResponse.parse("{\"error\":null,\"result\":{}}"), Nip47Exception.Reason.MISSING_FIELD);
        assertReason(() -> NwcResponse.parse("{\"result_type\":\"multi_pay_invoice\",\"result\":{}}"),
                Nip47Exception.Reason.UNKNOWN_METHOD);
        assertReason(() -> NwcResponse.parse("{\"result_type\":\"get_balance\",\"result\":{\"balance\":-5}}"),
                Nip47Exception.Reason.MALFORMED_FIELD);
        assertReason(() -> NwcResponse.parse("{\"result_type\":\"get_balance\",\"error\":\"oops\"}"),
                Nip47Exception.Reason.MALFORMED_FIELD);
        assertReason(() -> NwcResponse.parse("{\"result_type\":\"lookup_invoice\",\"result\":{\"type\":\"incoming\","
                + "\"payment_hash\":\"xyz\",\"amount\":1,\"created_at\":2}}"), Nip47Exception.Reason.MALFORMED_FIELD);
        assertReason(() -> NwcResponse.parse("{\"result_type\":\"list_transactions\",\"result\":{}}"),
                Nip47Exception.Reason.MISSING_FIELD);
        assertReason(() -> NwcResponse.parse("{\"result_type\":\"get_info\",\"result\":{\"methods\":[1]}}"),
                Nip47Exception.Reason.MALFORMED_FIELD);
    }

    // ---- events ----

    @Test
    void infoEventStatesCapabilitiesEncryptionAndNotifications() {
        NwcInfo info = new NwcInfo(List.of("pay_invoice", "get_balance", "notifications"),
                List.of(NwcEncryption.NIP44_V2, NwcEncryption.NIP04), List.of("payment_received", "payment_sent"));
        Event event = EventSigner.sign(Nip47.infoEvent(info, 1_713_883_677L), WALLET);
        assertThat(event.kind()).isEqualTo(13194);
        assertThat(event.content()).isEqualTo("pay_invoice get_balance notifications");
        assertThat(event.tags()).contains(List.of("encryption", "nip44_v2 nip04"),
                List.of("notifications", "payment_received payment_sent"));
        assertThat(Nip47.parseInfo(event)).isEqualTo(info);
        assertThat(Nip47.parseInfo(event).supports(NwcMethod.PAY_INVOICE)).isTrue();
        assertThat(Nip47.parseInfo(event).supports(NwcMethod.MAKE_HOLD_INVOICE)).isFalse();
    }

    @Test
    void infoWithoutEncryptionTagIsLegacyNip04AndUnknownSchemesAreRefused() {
        // the shape of NIP-47's appendix example: no encryption tag
        Event legacy = signed(13194, List.of(List.of("notifications", "payment_received payment_sent")),
                "pay_invoice pay_keysend get_balance get_info make_invoice lookup_invoice list_transactions notifications",
                WALLET);
        NwcInfo info = Nip47.parseInfo(legacy);
        assertThat(info.encryptions()).containsExactly(NwcEncryption.NIP04);
        assertThat(info.capabilities()).contains("pay_keysend").hasSize(8);
        assertReason(() -> Nip47.parseInfo(signed(13194, List.of(List.of("encryption", "nip99")), "get_info", WALLET)),
                Nip47Exception.Reason.UNSUPPORTED_ENCRYPTION);
        assertReason(() -> Nip47.parseInfo(signed(23194, List.of(), "", WALLET)), Nip47Exception.Reason.WRONG_KIND);
    }

    @Test
    void requestEventIsSignedTaggedAndNip44EncryptedToTheWallet() {
        NwcRequest request = new NwcRequest.PayInvoice("lnbc1xyz", null);
        Event event = Nip47.request(request, CLIENT, WALLET.publicKey(), 1_700_000_000L, 1_700_000_060L);
        assertThat(EventVerifier.isValid(event)).isTrue();
        assertThat(event.kind()).isEqualTo(23194);
        assertThat(event.pubkey()).isEqualTo(CLIENT.publicKey());
        assertThat(event.tags()).containsExactly(List.of("p", WALLET.publicKey()), List.of("encryption", "nip44_v2"),
                List.of("expiration", "1700000060"));
        assertThat(event.content()).doesNotContain("lnbc1xyz");
        assertThat(Nip47.openRequest(event, WALLET)).isEqualTo(request);
        assertReason(() -> Nip47.openRequest(event, KeyPair.generate()), Nip47Exception.Reason.UNDECRYPTABLE);
        Event tagless = signed(23194, List.of(List.of("p", WALLET.publicKey()), List.of("encryption", "rot13")),
                event.content(), CLIENT);
        assertReason(() -> Nip47.openRequest(tagless, WALLET), Nip47Exception.Reason.UNSUPPORTED_ENCRYPTION);
        assertReason(() -> Nip47.openRequest(signed(1, List.of(), "", CLIENT), WALLET), Nip47Exception.Reason.WRONG_KIND);
    }

    @Test
    void legacyUntaggedNip04RequestIsReadable() {
        String json = NwcRequest.toJson(new NwcRequest.GetBalance());
        String content = Nip04.encrypt(json, Nip04.sharedKey(CLIENT.secretKey(), WALLET.publicKey()));
        Event event = signed(23194, List.of(List.of("p", WALLET.publicKey())), content, CLIENT);
        assertThat(Nip47.requestEncryption(event)).isEqualTo(NwcEncryption.NIP04);
        assertThat(Nip47.openRequest(event, WALLET)).isEqualTo(new NwcRequest.GetBalance());
    }

    @Test
    void responseEventNamesItsRequestAndOpensInEitherEncryption() {
        NwcResponse response = NwcResponse.success(NwcMethod.GET_BALANCE, new NwcResult.Balance(42));
        String requestId = "b".repeat(64);
        Event event = Nip47.response(response, WALLET, CLIENT.publicKey(), requestId, 1_700_000_001L);
        assertThat(event.kind()).isEqualTo(23195);
        assertThat(event.tags()).contains(List.of("p", CLIENT.publicKey()), List.of("e", requestId));
        assertThat(Nip47.respondsTo(event)).isEqualTo(requestId);
        assertThat(Nip47.openResponse(event, CLIENT)).isEqualTo(response);
        // an old wallet answers in NIP-04: still readable
        String legacy = Nip04.encrypt(NwcResponse.toJson(response), Nip04.sharedKey(WALLET.secretKey(), CLIENT.publicKey()));
        Event old = signed(23195, List.of(List.of("p", CLIENT.publicKey()), List.of("e", requestId)), legacy, WALLET);
        assertThat(Nip47.openResponse(old, CLIENT)).isEqualTo(response);
        Event noE = signed(23195, List.of(List.of("p", CLIENT.publicKey())), event.content(), WALLET);
        assertReason(() -> Nip47.openResponse(noE, CLIENT), Nip47Exception.Reason.MISSING_TAG);
        Event garbage = signed(23195, List.of(List.of("e", requestId)),
                Nip44.encrypt("not json", Nip44.conversationKey(WALLET.secretKey(), CLIENT.publicKey())), WALLET);
        assertReason(() -> Nip47.openResponse(garbage, CLIENT), Nip47Exception.Reason.MALFORMED_JSON);
    }

    @Test
    void notificationsRoundTripAsNip44AndLegacyNip04() {
        NwcTransaction tx = new NwcTransaction(NwcTransaction.Type.INCOMING, NwcTransaction.State.ACCEPTED, "lnbc1xyz",
                null, null, null, HASH, 5_000, null, 1_700_000_000L, 1_700_000_600L, null);
        NwcNotification accepted = new NwcNotification(NwcNotificationType.HOLD_INVOICE_ACCEPTED, tx, 800_123L);
        Event event = Nip47.notification(accepted, WALLET, CLIENT.publicKey(), 1_700_000_100L);
        assertThat(event.kind()).isEqualTo(23197);
        assertThat(event.tags()).contains(List.of("p", CLIENT.publicKey()));
        assertThat(Nip47.openNotification(event, CLIENT)).isEqualTo(accepted);
        String legacy = Nip04.encrypt(NwcNotification.toJson(accepted), Nip04.sharedKey(WALLET.secretKey(), CLIENT.publicKey()));
        assertThat(Nip47.openNotification(signed(23196, List.of(List.of("p", CLIENT.publicKey())), legacy, WALLET), CLIENT))
                .isEqualTo(accepted);
        assertReason(() -> Nip47.openNotification(signed(23195, List.of(), legacy, WALLET), CLIENT),
                Nip47Exception.Reason.WRONG_KIND);
        assertReason(() -> NwcNotification.parse("{\"notification_type\":\"channel_opened\",\"notification\":{}}"),
                Nip47Exception.Reason.UNKNOWN_METHOD);
    }

    private static Event signed(int kind, List<List<String>> tags, String content, KeyPair keys) {
        return EventSigner.sign(new UnsignedEvent(1_700_000_000L, kind, tags, content), keys);
    }

    private static void assertReason(ThrowingCallable call, Nip47Exception.Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Nip47Exception.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    private static void assertMethodReason(String json, String method, Nip47Exception.Reason reason) {
        assertThatThrownBy(() -> NwcRequest.parse(json)).isInstanceOfSatisfying(Nip47Exception.class, e -> {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
            assertThat(e.method()).isEqualTo(method);
        });
    }
}
