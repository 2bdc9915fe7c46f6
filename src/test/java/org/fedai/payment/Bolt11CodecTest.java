package org.fedai.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import fr.acinq.bitcoin.Base58Check;
import fr.acinq.bitcoin.Bech32;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;
import org.fedai.nostr.Sha256;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every example of BOLT #11 (valid and invalid, current and legacy), from src/test/resources/bolt11-examples.json. */
class Bolt11CodecTest {

    private static final JsonNode VECTORS = load();
    private static final byte[] EXAMPLE_KEY = Hex.decode(VECTORS.get("examplePrivateKey").asText());

    private static JsonNode load() {
        try (InputStream in = Bolt11CodecTest.class.getResourceAsStream("/bolt11-examples.json")) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyValidExampleDecodesToItsFields() {
        return Stream.concat(stream(VECTORS.get("valid")), stream(VECTORS.get("legacyValid"))).map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
            Bolt11Invoice invoice = Bolt11Codec.decode(v.get("invoice").asText());

            assertThat(invoice.network()).isEqualTo(Bolt11Network.valueOf(v.get("network").asText()));
            OptionalLong amount = v.get("amountMsat").isNull() ? OptionalLong.empty()
                    : OptionalLong.of(v.get("amountMsat").asLong());
            assertThat(invoice.amountMsat()).isEqualTo(amount);
            assertThat(invoice.timestamp()).isEqualTo(v.get("timestamp").asLong());
            assertThat(invoice.paymentHashHex()).isEqualTo(v.get("paymentHash").asText());
            assertThat(invoice.paymentSecret().map(Hex::encode)).isEqualTo(v.get("paymentSecret").isNull()
                    ? java.util.Optional.empty() : java.util.Optional.of(v.get("paymentSecret").asText()));
            assertThat(invoice.payeeHex()).isEqualTo(v.get("payee").asText());
            assertThat(invoice.expirySeconds()).isEqualTo(v.get("expirySeconds").asLong());
            assertThat(invoice.minFinalCltvExpiry()).isEqualTo(v.get("minFinalCltvExpiry").asLong());
            BitSet features = new BitSet();
            v.get("features").forEach(bit -> features.set(bit.asInt()));
            assertThat(invoice.features()).isEqualTo(features);
            if (v.has("description")) {
                assertThat(invoice.description()).hasValue(v.get("description").asText());
                assertThat(invoice.descriptionHash()).isEmpty();
            } else {
                byte[] expected = Sha256.hash(v.get("hashedDescription").asText().getBytes(StandardCharsets.UTF_8));
                assertThat(invoice.descriptionHash()).hasValueSatisfying(h -> assertThat(h).isEqualTo(expected));
                assertThat(invoice.description()).isEmpty();
            }
            if (v.has("fallbackAddress")) {
                assertThat(invoice.fallbacks()).hasSize(1);
                assertThat(address(invoice.network(), invoice.fallbacks().getFirst()))
                        .isEqualTo(v.get("fallbackAddress").asText());
            } else {
                assertThat(invoice.fallbacks()).isEmpty();
            }
            List<List<String>> expectedRoutes = new ArrayList<>();
            if (v.has("routes")) {
                v.get("routes").forEach(route -> expectedRoutes.add(stream(route).map(h -> h.get("nodeId").asText()
                        + " " + h.get("shortChannelId").asText() + " " + h.get("feeBaseMsat").asLong() + " "
                        + h.get("feeProportionalMillionths").asLong() + " " + h.get("cltvExpiryDelta").asInt()).toList()));
            }
            assertThat(invoice.routes().stream().map(route -> route.stream().map(h -> h.nodeIdHex() + " "
                    + h.shortChannelIdString() + " " + h.feeBaseMsat() + " " + h.feeProportionalMillionths() + " "
                    + h.cltvExpiryDelta()).toList()).toList()).isEqualTo(expectedRoutes);
            assertThat(invoice.metadata().map(Hex::encode))
                    .isEqualTo(v.has("metadata") ? java.util.Optional.of(v.get("metadata").asText()) : java.util.Optional.empty());
            long skipped = invoice.fields().stream().filter(f -> f instanceof TaggedField.Unknown).count();
            assertThat(skipped).isEqualTo(v.has("skippedFields") ? v.get("skippedFields").asLong() : 0);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyValidExampleReEncodesByteExact() {
        return Stream.concat(stream(VECTORS.get("valid")), stream(VECTORS.get("legacyValid"))).map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
            String original = v.get("invoice").asText();
            Bolt11Invoice invoice = Bolt11Codec.decode(original);

            assertThat(invoice.encode()).isEqualTo(original.toLowerCase(Locale.ROOT));
            if (v.get("signedWithExampleKey").asBoolean()) {
                Bolt11Invoice resigned = Bolt11Codec.sign(invoice.network(), invoice.amountMsat(), invoice.timestamp(),
                        invoice.fields(), EXAMPLE_KEY);
                assertThat(resigned.encode()).isEqualTo(original.toLowerCase(Locale.ROOT));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidExampleIsRejectedWithItsReason() {
        return Stream.concat(stream(VECTORS.get("invalid")), stream(VECTORS.get("legacyInvalid"))).map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () ->
                assertThatThrownBy(() -> Bolt11Codec.decode(v.get("invoice").asText()))
                        .isInstanceOfSatisfying(Bolt11Exception.class,
                                e -> assertThat(e.error()).isEqualTo(Bolt11Error.valueOf(v.get("error").asText())))));
    }

    @Test
    void emptyAndGarbageInputAreBadBech32() {
        assertThatThrownBy(() -> Bolt11Codec.decode("")).isInstanceOfSatisfying(Bolt11Exception.class,
                e -> assertThat(e.error()).isEqualTo(Bolt11Error.BAD_BECH32));
        assertThatThrownBy(() -> Bolt11Codec.decode(null)).isInstanceOf(Bolt11Exception.class);
        assertThatThrownBy(() -> Bolt11Codec.decode("hello world")).isInstanceOfSatisfying(Bolt11Exception.class,
                e -> assertThat(e.error()).isEqualTo(Bolt11Error.BAD_BECH32));
    }

    @Test
    void unknownCurrencyPrefixIsRefused() {
        // a well-formed bech32 string whose prefix names no Lightning currency
        var words = Bech32.decode(signed(Bolt11Network.REGTEST, 1000), false).getSecond();
        String foreign = Bech32.encode("lnxy10n", words, Bech32.Encoding.Bech32);
        assertThatThrownBy(() -> Bolt11Codec.decode(foreign)).isInstanceOfSatisfying(Bolt11Exception.class,
                e -> assertThat(e.error()).isEqualTo(Bolt11Error.UNKNOWN_PREFIX));
    }

    @Test
    void amountsParseWithEveryMultiplierAndRefuseBadForms() {
        assertThat(Bolt11Codec.parseAmount("1")).hasValue(100_000_000_000L);
        assertThat(Bolt11Codec.parseAmount("20m")).hasValue(2_000_000_000L);
        assertThat(Bolt11Codec.parseAmount("2500u")).hasValue(250_000_000L);
        assertThat(Bolt11Codec.parseAmount("7n")).hasValue(700L);
        assertThat(Bolt11Codec.parseAmount("10p")).hasValue(1L);
        assertThat(Bolt11Codec.parseAmount("")).isEmpty();
        for (String bad : new String[] {"0", "01m", "m", "1.5m", "99999999999999999999m", "92233720368547758u"}) {
            assertThatThrownBy(() -> Bolt11Codec.parseAmount(bad)).as(bad).isInstanceOfSatisfying(Bolt11Exception.class,
                    e -> assertThat(e.error()).isEqualTo(Bolt11Error.BAD_AMOUNT));
        }
        assertThat(Bolt11Codec.formatAmount(250_000_000L)).isEqualTo("2500u");
        assertThat(Bolt11Codec.formatAmount(967_878_534L)).isEqualTo("9678785340p");
        assertThat(Bolt11Codec.formatAmount(100_000_000_000L)).isEqualTo("1");
        assertThat(Bolt11Codec.formatAmount(1L)).isEqualTo("10p");
    }

    @Test
    void aTamperedAmountNoLongerRecoversTheSigner() {
        String good = signed(Bolt11Network.REGTEST, 1000);
        var words = Bech32.decode(good, false).getSecond();
        String tampered = Bech32.encode("lnbcrt20n", words, Bech32.Encoding.Bech32);
        // recovery yields some key, but not the signer's
        Bolt11Invoice decoded = Bolt11Codec.decode(tampered);
        assertThat(decoded.payeeHex()).isNotEqualTo(Hex.encode(Bolt11Codec.nodeId(EXAMPLE_KEY)));
    }

    @Test
    void anNFieldThatDisagreesWithTheSignatureIsRefused() {
        byte[] otherKey = new byte[32];
        otherKey[31] = 7;
        Bolt11Invoice byOther = Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.of(1000), 1_700_000_000L,
                List.of(new TaggedField.PaymentHash(new byte[32]), new TaggedField.Description("x"),
                        new TaggedField.PayeeNodeId(Bolt11Codec.nodeId(otherKey))), otherKey);
        // same fields, but the n field names the example key while the signature is by otherKey
        List<TaggedField> lying = List.of(new TaggedField.PaymentHash(new byte[32]), new TaggedField.Description("x"),
                new TaggedField.PayeeNodeId(Bolt11Codec.nodeId(EXAMPLE_KEY)));
        Bolt11Invoice forged = new Bolt11Invoice(Bolt11Network.REGTEST, OptionalLong.of(1000), 1_700_000_000L, lying,
                Bolt11Codec.nodeId(EXAMPLE_KEY), byOther.signature());
        assertThat(Bolt11Codec.decode(byOther.encode()).payeeHex()).isEqualTo(Hex.encode(Bolt11Codec.nodeId(otherKey)));
        assertThatThrownBy(() -> Bolt11Codec.decode(forged.encode())).isInstanceOfSatisfying(Bolt11Exception.class,
                e -> assertThat(e.error()).isEqualTo(Bolt11Error.BAD_SIGNATURE));
    }

    @Test
    void missingPaymentHashOrDescriptionIsRefused() {
        String noHash = Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.empty(), 1, List.of(
                new TaggedField.Description("x")), EXAMPLE_KEY).encode();
        String noDescription = Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.empty(), 1, List.of(
                new TaggedField.PaymentHash(new byte[32])), EXAMPLE_KEY).encode();
        assertThatThrownBy(() -> Bolt11Codec.decode(noHash)).isInstanceOfSatisfying(Bolt11Exception.class,
                e -> assertThat(e.error()).isEqualTo(Bolt11Error.MISSING_PAYMENT_HASH));
        assertThatThrownBy(() -> Bolt11Codec.decode(noDescription)).isInstanceOfSatisfying(Bolt11Exception.class,
                e -> assertThat(e.error()).isEqualTo(Bolt11Error.MISSING_DESCRIPTION));
    }

    @Test
    void aFieldRunningIntoTheSignatureIsRefused() {
        // timestamp, then a d field claiming 1023 words where only a few follow before the signature
        String good = signed(Bolt11Network.REGTEST, 1000);
        Byte[] words = Bech32.decode(good, false).getSecond();
        words[7] = 13;
        words[8] = 31;
        words[9] = 31;
        String overrun = Bech32.encode("lnbcrt10n", words, Bech32.Encoding.Bech32);
        assertThatThrownBy(() -> Bolt11Codec.decode(overrun)).isInstanceOfSatisfying(Bolt11Exception.class,
                e -> assertThat(e.error()).isEqualTo(Bolt11Error.FIELD_OVERRUN));
    }

    @Test
    void aNonMinimalExpiryIsReadAndReEncodedAsSigned() {
        // 60 s in 4 words instead of 2: allowed (writers only SHOULD be minimal)
        String invoice = Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.of(1000), 1_700_000_000L, List.of(
                new TaggedField.PaymentHash(new byte[32]), new TaggedField.Description("x"),
                new TaggedField.Expiry(60, 4)), EXAMPLE_KEY).encode();
        Bolt11Invoice decoded = Bolt11Codec.decode(invoice);
        assertThat(decoded.expirySeconds()).isEqualTo(60);
        assertThat(decoded.encode()).isEqualTo(invoice);
        assertThat(decoded.payee()).isEqualTo(Bolt11Codec.nodeId(EXAMPLE_KEY));
    }

    @Test
    void paddingThatIsNotZeroOrTooLongIsRefused() {
        // "ab" takes 4 words with 4 padding bits; set one of them
        List<TaggedField> dirty = List.of(new TaggedField.PaymentHash(new byte[32]),
                new TaggedField.Unknown(TaggedField.D, new byte[] {12, 5, 17, 1}));
        assertThatThrownBy(() -> Bolt11Codec.decode(Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.empty(), 1,
                dirty, EXAMPLE_KEY).encode())).isInstanceOfSatisfying(Bolt11Exception.class,
                e -> assertThat(e.error()).isEqualTo(Bolt11Error.BAD_FIELD));
        // "a" in 3 words: 7 padding bits, more than a word
        List<TaggedField> tooLong = List.of(new TaggedField.PaymentHash(new byte[32]),
                new TaggedField.Unknown(TaggedField.D, new byte[] {12, 4, 0}));
        assertThatThrownBy(() -> Bolt11Codec.decode(Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.empty(), 1,
                tooLong, EXAMPLE_KEY).encode())).isInstanceOfSatisfying(Bolt11Exception.class,
                e -> assertThat(e.error()).isEqualTo(Bolt11Error.BAD_FIELD));
        List<TaggedField> clean = List.of(new TaggedField.PaymentHash(new byte[32]),
                new TaggedField.Unknown(TaggedField.D, new byte[] {12, 5, 17, 0}));
        assertThat(Bolt11Codec.decode(Bolt11Codec.sign(Bolt11Network.REGTEST, OptionalLong.empty(), 1, clean,
                EXAMPLE_KEY).encode()).description()).hasValue("ab");
    }

    @Test
    void lightningUriPrefixIsAccepted() {
        String invoice = signed(Bolt11Network.REGTEST, 1000);
        assertThat(Bolt11Codec.decode("lightning:" + invoice).encode()).isEqualTo(invoice);
    }

    private static String signed(Bolt11Network network, long msat) {
        return Bolt11Codec.sign(network, OptionalLong.of(msat), 1_700_000_000L, List.of(
                new TaggedField.PaymentHash(new byte[32]), new TaggedField.Description("test")), EXAMPLE_KEY).encode();
    }

    private static String address(Bolt11Network network, TaggedField.Fallback f) {
        boolean main = network == Bolt11Network.BITCOIN;
        return switch (f.version()) {
            case 17 -> Base58Check.encode((byte) (main ? 0 : 111), f.program());
            case 18 -> Base58Check.encode((byte) (main ? 5 : 196), f.program());
            default -> Bech32.encodeWitnessAddress(main ? "bc" : "tb", (byte) f.version(), f.program());
        };
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }
}
