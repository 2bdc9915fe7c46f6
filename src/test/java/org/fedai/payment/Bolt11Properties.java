package org.fedai.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Secp256k1Keys;

class Bolt11Properties {

    private static final Integer[] UNKNOWN_TYPES = {0, 2, 4, 7, 8, 10, 11, 12, 14, 15, 17, 18, 20, 21, 22, 25, 26, 28, 29, 30, 31};

    @Property(tries = 300)
    void signedInvoicesRoundTripExactly(@ForAll("secrets") byte[] secret, @ForAll Bolt11Network network,
                                        @ForAll("amounts") OptionalLong amount,
                                        @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int timestamp,
                                        @ForAll("fieldLists") List<TaggedField> fields) {
        Bolt11Invoice signed = Bolt11Codec.sign(network, amount, timestamp, fields, secret);
        String encoded = signed.encode();

        Bolt11Invoice decoded = Bolt11Codec.decode(encoded);

        assertThat(decoded.encode()).isEqualTo(encoded);
        assertThat(Bolt11Codec.decode(encoded.toUpperCase()).encode()).isEqualTo(encoded);
        assertThat(decoded.network()).isEqualTo(network);
        assertThat(decoded.amountMsat()).isEqualTo(amount);
        assertThat(decoded.timestamp()).isEqualTo(timestamp);
        assertThat(decoded.payee()).isEqualTo(Bolt11Codec.nodeId(secret));
        assertThat(decoded.fields().stream().map(Bolt11Properties::render).toList())
                .isEqualTo(fields.stream().map(Bolt11Properties::render).toList());
    }

    @Property(tries = 300)
    void anyOneCharacterChangeIsRefusedWithAReasonOrChangesThePayee(@ForAll("secrets") byte[] secret,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(min = 0, max = 31) int replacement) {
        String good = Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.of(5000), 1_700_000_000L, List.of(
                new TaggedField.PaymentHash(new byte[32]), new TaggedField.Description("job")), secret).encode();
        int at = position % good.length();
        char c = "qpzry9x8gf2tvdw0s3jn54khce6mua7l".charAt(replacement);
        String mutated = good.substring(0, at) + c + good.substring(at + 1);
        try {
            Bolt11Invoice decoded = Bolt11Codec.decode(mutated);
            if (!mutated.equals(good)) {
                assertThat(decoded.payee()).isNotEqualTo(Bolt11Codec.nodeId(secret));
            }
        } catch (Bolt11Exception refused) {
            assertThat(refused.error()).isNotNull();
        }
    }

    @Provide
    Arbitrary<byte[]> secrets() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).filter(Secp256k1Keys::isValidSecretKey);
    }

    @Provide
    Arbitrary<OptionalLong> amounts() {
        return Arbitraries.oneOf(Arbitraries.just(OptionalLong.empty()),
                Arbitraries.longs().between(1, 2_100_000_000_000_000_000L / 1000).map(OptionalLong::of),
                Arbitraries.of(1L, 10L, 1000L, 100_000_000L, 100_000_000_000L).map(OptionalLong::of));
    }

    @Provide
    Arbitrary<List<TaggedField>> fieldLists() {
        Arbitrary<TaggedField> first = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(200).map(TaggedField.Description::new),
                bytes(32).map(TaggedField.DescriptionHash::new));
        Arbitrary<List<TaggedField>> extras = Arbitraries.oneOf(
                bytes(32).map(TaggedField.PaymentSecret::new),
                // x, c and 9 sometimes longer than minimal: readers accept that and must re-encode it as is
                Combinators.combine(Arbitraries.longs().between(0, (1L << 60) - 1), Arbitraries.integers().between(0, 2))
                        .as((v, extra) -> new TaggedField.Expiry(v, Math.min(12, FiveBitWords.minimalWords(v) + extra))),
                Combinators.combine(Arbitraries.longs().between(0, 5000), Arbitraries.integers().between(0, 2))
                        .as((v, extra) -> new TaggedField.MinFinalCltvExpiry(v, FiveBitWords.minimalWords(v) + extra)),
                bytes(1, 60).map(TaggedField.Metadata::new),
                Combinators.combine(Arbitraries.integers().between(0, 256).set().ofMaxSize(8),
                        Arbitraries.integers().between(0, 2)).as((bits, extra) -> {
                    BitSet set = new BitSet();
                    bits.forEach(b -> set.set(b % 2 == 0 ? b + 1 : b)); // odd bits only: unknown even ones are refused
                    set.set(8);
                    return (TaggedField) new TaggedField.Features(set, (set.length() + 4) / 5 + extra);
                }),
                Combinators.combine(Arbitraries.integers().between(0, 16), bytes(20)).as(TaggedField.Fallback::new),
                Arbitraries.of(17, 18).flatMap(v -> bytes(20).map(p -> new TaggedField.Fallback(v, p))),
                hops().list().ofMinSize(1).ofMaxSize(3).map(TaggedField.RoutingInfo::new),
                Combinators.combine(Arbitraries.of(UNKNOWN_TYPES),
                        Arbitraries.bytes().between((byte) 0, (byte) 31).array(byte[].class).ofMaxSize(80))
                        .as(TaggedField.Unknown::new)
        ).list().ofMaxSize(6);
        return Combinators.combine(bytes(32), first, extras).as((hash, description, more) -> {
            List<TaggedField> fields = new ArrayList<>(more);
            fields.add(0, new TaggedField.PaymentHash(hash));
            fields.add(Math.min(1, fields.size()), description);
            return fields;
        });
    }

    private Arbitrary<RouteHop> hops() {
        return Combinators.combine(bytes(32).filter(Secp256k1Keys::isValidSecretKey).map(Bolt11Codec::nodeId),
                Arbitraries.longs(), Arbitraries.longs().between(0, 0xFFFFFFFFL),
                Arbitraries.longs().between(0, 0xFFFFFFFFL), Arbitraries.integers().between(0, 0xFFFF))
                .as(RouteHop::new);
    }

    private static Arbitrary<byte[]> bytes(int size) {
        return Arbitraries.bytes().array(byte[].class).ofSize(size);
    }

    private static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }

    private static String render(TaggedField f) {
        return switch (f) {
            case TaggedField.PaymentHash p -> "p" + Hex.encode(p.hash());
            case TaggedField.PaymentSecret s -> "s" + Hex.encode(s.secret());
            case TaggedField.Description d -> "d" + d.text();
            case TaggedField.DescriptionHash h -> "h" + Hex.encode(h.hash());
            case TaggedField.Expiry x -> "x" + x.seconds() + "/" + x.words();
            case TaggedField.MinFinalCltvExpiry c -> "c" + c.blocks() + "/" + c.words();
            case TaggedField.PayeeNodeId n -> "n" + Hex.encode(n.nodeId());
            case TaggedField.Fallback fb -> "f" + fb.version() + Hex.encode(fb.program());
            case TaggedField.RoutingInfo r -> "r" + r.hops().stream().map(h -> h.nodeIdHex() + h.shortChannelId() + "/"
                    + h.feeBaseMsat() + "/" + h.feeProportionalMillionths() + "/" + h.cltvExpiryDelta()).toList();
            case TaggedField.Features ft -> "9" + ft.bits() + "/" + ft.words();
            case TaggedField.Metadata m -> "m" + Hex.encode(m.data());
            case TaggedField.Unknown u -> "?" + u.type() + Hex.encode(u.words());
        };
    }
}
