package org.fedai.payment.nwc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;

class Nip47Properties {

    private static final KeyPair WALLET = KeyPair.generate();
    private static final KeyPair CLIENT = KeyPair.generate();

    @Property(tries = 500)
    void requestJsonRoundTrips(@ForAll("requests") NwcRequest request) {
        assertThat(NwcRequest.parse(NwcRequest.toJson(request))).isEqualTo(request);
    }

    @Property(tries = 500)
    void responseJsonRoundTrips(@ForAll("responses") NwcResponse response) {
        assertThat(NwcResponse.parse(NwcResponse.toJson(response))).isEqualTo(response);
    }

    @Property(tries = 200)
    void notificationJsonRoundTrips(@ForAll("transactions") NwcTransaction tx,
            @ForAll NwcNotificationType type, @ForAll("optLongs") Long deadline) {
        NwcNotification n = new NwcNotification(type, tx, deadline);
        assertThat(NwcNotification.parse(NwcNotification.toJson(n))).isEqualTo(n);
    }

    @Property(tries = 50)
    void signedEncryptedEventsRoundTrip(@ForAll("requests") NwcRequest request, @ForAll("responses") NwcResponse response) {
        Event req = Nip47.request(request, CLIENT, WALLET.publicKey(), 1_700_000_000L, null);
        assertThat(Nip47.openRequest(req, WALLET)).isEqualTo(request);
        Event res = Nip47.response(response, WALLET, CLIENT.publicKey(), req.id(), 1_700_000_001L);
        assertThat(Nip47.respondsTo(res)).isEqualTo(req.id());
        assertThat(Nip47.openResponse(res, CLIENT)).isEqualTo(response);
    }

    /** Any edit of valid JSON either still parses or is refused with a reason: never another exception. */
    @Property(tries = 500)
    void editedRequestsParseOrFailWithAReason(@ForAll("requests") NwcRequest request,
            @ForAll("edits") Tuple.Tuple2<Integer, Character> edit) {
        String json = NwcRequest.toJson(request);
        int at = Math.floorMod(edit.get1(), json.length());
        String edited = json.substring(0, at) + (edit.get2() == '\0' ? "" : edit.get2()) + json.substring(at + 1);
        try {
            NwcRequest.parse(edited);
        } catch (Nip47Exception expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }

    @Provide
    Arbitrary<Tuple.Tuple2<Integer, Character>> edits() {
        return Combinators.combine(Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.of('\0', '"', '{', '}', '[', ']', ':', ',', '-', '1', 'x', ' ', '\\', 'n'))
                .as(Tuple::of);
    }

    @Provide
    Arbitrary<NwcRequest> requests() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(nonEmptyTexts(), optLongs()).as(NwcRequest.PayInvoice::new),
                Combinators.combine(amounts(), optTexts(), optTexts(), optLongs()).as(NwcRequest.MakeInvoice::new),
                Combinators.combine(hex32().injectNull(0.4), optTexts())
                        .filter((h, i) -> h != null || i != null).as(NwcRequest.LookupInvoice::new),
                Arbitraries.just(new NwcRequest.GetBalance()),
                Arbitraries.just(new NwcRequest.GetInfo()),
                Combinators.combine(optLongs(), optLongs(), optInts(), optInts(),
                        Arbitraries.of(true, false).injectNull(0.3),
                        Arbitraries.of(NwcTransaction.Type.class).injectNull(0.3)).as(NwcRequest.ListTransactions::new),
                Combinators.combine(amounts(), hex32(), optTexts(), optTexts(), optLongs(), optInts())
                        .as(NwcRequest.MakeHoldInvoice::new),
                hex32().map(NwcRequest.SettleHoldInvoice::new),
                hex32().map(NwcRequest.CancelHoldInvoice::new)));
    }

    @Provide
    Arbitrary<NwcResponse> responses() {
        Arbitrary<NwcResponse> failures = Combinators.combine(texts(), Arbitraries.of(NwcErrorCode.class), texts())
                .as(NwcResponse::failure);
        Arbitrary<NwcResponse> successes = Arbitraries.oneOf(List.of(
                Combinators.combine(nonEmptyTexts(), optLongs())
                        .as((p, f) -> NwcResponse.success(NwcMethod.PAY_INVOICE, new NwcResult.Paid(p, f))),
                Combinators.combine(Arbitraries.of(NwcMethod.MAKE_INVOICE, NwcMethod.LOOKUP_INVOICE,
                        NwcMethod.MAKE_HOLD_INVOICE), transactions())
                        .as((m, t) -> NwcResponse.success(m, new NwcResult.Transaction(t))),
                amounts().map(b -> NwcResponse.success(NwcMethod.GET_BALANCE, new NwcResult.Balance(b))),
                Combinators.combine(optTexts(), optTexts(), optTexts(), optTexts(), optLongs(), optTexts(),
                        texts().list().ofMaxSize(5), texts().list().ofMaxSize(3).injectNull(0.3))
                        .as((a, c, p, n, h, bh, ms, ns) -> NwcResponse.success(NwcMethod.GET_INFO,
                                new NwcResult.Info(a, c, p, n, h, bh, ms, ns))),
                transactions().list().ofMaxSize(4).map(l -> NwcResponse.success(NwcMethod.LIST_TRANSACTIONS,
                        new NwcResult.Transactions(l))),
                Arbitraries.of(NwcMethod.SETTLE_HOLD_INVOICE, NwcMethod.CANCEL_HOLD_INVOICE)
                        .map(m -> NwcResponse.success(m, new NwcResult.Empty()))));
        return Arbitraries.oneOf(failures, successes);
    }

    @Provide
    Arbitrary<NwcTransaction> transactions() {
        Arbitrary<NwcTransaction.Type> type = Arbitraries.of(NwcTransaction.Type.class);
        Arbitrary<NwcTransaction.State> state = Arbitraries.of(NwcTransaction.State.class).injectNull(0.3);
        return Combinators.combine(type, state, optTexts(), optTexts(), optTexts(), hex32().injectNull(0.5), hex32(),
                amounts()).flatAs((ty, st, inv, d, dh, pre, hash, amount) ->
                Combinators.combine(optLongs(), amounts(), optLongs(), optLongs()).as((fee, created, exp, settled) ->
                        new NwcTransaction(ty, st, inv, d, dh, pre, hash, amount, fee, created, exp, settled)));
    }

    @Provide
    Arbitrary<Long> optLongs() {
        return amounts().injectNull(0.4);
    }

    private static Arbitrary<Long> amounts() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 1_000_000), Arbitraries.longs().greaterOrEqual(0));
    }

    private static Arbitrary<Integer> optInts() {
        return Arbitraries.integers().greaterOrEqual(0).injectNull(0.4);
    }

    private static Arbitrary<String> hex32() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hex::encode);
    }

    /** Any Unicode scalar values, quotes, backslashes and controls included (no lone surrogates: not valid text). */
    private static Arbitrary<String> texts() {
        Arbitrary<Integer> scalar = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0, 0x1F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return scalar.list().ofMaxSize(40).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    private static Arbitrary<String> nonEmptyTexts() {
        return texts().filter(s -> !s.isEmpty());
    }

    private static Arbitrary<String> optTexts() {
        return texts().injectNull(0.4);
    }
}
