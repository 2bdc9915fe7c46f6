package org.fedai.payment;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** Reading and writing the data of each BOLT #11 tagged field, with the reader's skip rules. */
final class Bolt11Fields {

    /** Feature bits (BOLT #9, context "9") this reader knows, as even/odd pairs: var_onion_optin,
     *  payment_secret, basic_mpp, option_route_blinding, option_payment_metadata. */
    private static final BitSet KNOWN_FEATURES = new BitSet();

    static {
        for (int even : new int[] {8, 14, 16, 24, 48}) {
            KNOWN_FEATURES.set(even);
            KNOWN_FEATURES.set(even + 1);
        }
    }

    private Bolt11Fields() {
    }

    static TaggedField read(int type, byte[] words, int from, int to) {
        int length = to - from;
        return switch (type) {
            case TaggedField.P -> length == 52 ? new TaggedField.PaymentHash(bytes(type, words, from, to)) : unknown(type, words, from, to);
            case TaggedField.S -> length == 52 ? new TaggedField.PaymentSecret(bytes(type, words, from, to)) : unknown(type, words, from, to);
            case TaggedField.H -> length == 52 ? new TaggedField.DescriptionHash(bytes(type, words, from, to)) : unknown(type, words, from, to);
            case TaggedField.N -> length == 53 ? new TaggedField.PayeeNodeId(bytes(type, words, from, to)) : unknown(type, words, from, to);
            case TaggedField.D -> new TaggedField.Description(utf8(bytes(type, words, from, to)));
            case TaggedField.X -> new TaggedField.Expiry(readBoundedInt(words, from, to, "x"), length);
            case TaggedField.C -> new TaggedField.MinFinalCltvExpiry(readBoundedInt(words, from, to, "c"), length);
            case TaggedField.M -> new TaggedField.Metadata(bytes(type, words, from, to));
            case TaggedField.NINE -> new TaggedField.Features(readFeatures(words, from, to), length);
            case TaggedField.F -> readFallback(words, from, to);
            case TaggedField.R -> readRoute(words, from, to);
            default -> unknown(type, words, from, to);
        };
    }

    /** The field's bytes; padding other than BOLT #11's (under 5 bits, all 0) is refused. */
    private static byte[] bytes(int type, byte[] words, int from, int to) {
        if (!FiveBitWords.hasCanonicalPadding(words, from, to)) {
            throw new Bolt11Exception(Bolt11Error.BAD_FIELD, "field type " + type + " is not padded with fewer than 5 zero bits");
        }
        return FiveBitWords.toBytes(words, from, to);
    }

    private static TaggedField unknown(int type, byte[] words, int from, int to) {
        return new TaggedField.Unknown(type, Arrays.copyOfRange(words, from, to));
    }

    private static TaggedField readFallback(byte[] words, int from, int to) {
        if (to == from || words[from] > 18) {
            return unknown(TaggedField.F, words, from, to); // versions 19..31 are for the future: skip
        }
        int version = words[from];
        int length = (to - from - 1) * 5 / 8;
        boolean valid = version >= 17 ? length == 20
                : version == 0 ? length == 20 || length == 32
                : length >= 2 && length <= 40;
        return valid ? new TaggedField.Fallback(version, bytes(TaggedField.F, words, from + 1, to))
                : unknown(TaggedField.F, words, from, to);
    }

    private static TaggedField readRoute(byte[] words, int from, int to) {
        int length = (to - from) * 5 / 8;
        if (length == 0 || length % RouteHop.WIRE_LENGTH != 0) {
            return unknown(TaggedField.R, words, from, to);
        }
        byte[] bytes = bytes(TaggedField.R, words, from, to);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<RouteHop> hops = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] nodeId = new byte[33];
            in.get(nodeId);
            long scid = in.getLong();
            long feeBase = Integer.toUnsignedLong(in.getInt());
            long feeProp = Integer.toUnsignedLong(in.getInt());
            int cltv = Short.toUnsignedInt(in.getShort());
            hops.add(new RouteHop(nodeId, scid, feeBase, feeProp, cltv));
        }
        return new TaggedField.RoutingInfo(hops);
    }

    private static BitSet readFeatures(byte[] words, int from, int to) {
        BitSet bits = new BitSet();
        int n = to - from;
        for (int w = 0; w < n; w++) {
            int word = words[from + w];
            int base = (n - 1 - w) * 5;
            for (int b = 0; b < 5; b++) {
                if ((word & (1 << b)) != 0) {
                    bits.set(base + b);
                }
            }
        }
        return bits;
    }

    static void requireKnownEvenBits(BitSet bits) {
        for (int bit = bits.nextSetBit(0); bit >= 0; bit = bits.nextSetBit(bit + 1)) {
            if (bit % 2 == 0 && !KNOWN_FEATURES.get(bit)) {
                throw new Bolt11Exception(Bolt11Error.UNKNOWN_REQUIRED_FEATURE, "unknown compulsory feature bit " + bit);
            }
        }
    }

    private static long readBoundedInt(byte[] words, int from, int to, String field) {
        if (to - from > 12) {
            throw new Bolt11Exception(Bolt11Error.BAD_FIELD, field + " field of " + (to - from) + " words exceeds 60 bits");
        }
        return FiveBitWords.readInt(words, from, to - from);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Bolt11Exception(Bolt11Error.BAD_FIELD, "d field is not valid UTF-8");
        }
    }

    /** The field's data words, shortest form: what {@link #read} turns back into the same field. */
    static FiveBitWords.Buffer write(TaggedField field) {
        FiveBitWords.Buffer data = new FiveBitWords.Buffer();
        switch (field) {
            case TaggedField.PaymentHash p -> data.bytes(p.hash());
            case TaggedField.PaymentSecret s -> data.bytes(s.secret());
            case TaggedField.DescriptionHash h -> data.bytes(h.hash());
            case TaggedField.PayeeNodeId n -> data.bytes(n.nodeId());
            case TaggedField.Description d -> data.bytes(d.text().getBytes(StandardCharsets.UTF_8));
            case TaggedField.Metadata m -> data.bytes(m.data());
            case TaggedField.Expiry x -> data.integer(x.seconds(), x.words());
            case TaggedField.MinFinalCltvExpiry c -> data.integer(c.blocks(), c.words());
            case TaggedField.Fallback f -> {
                data.word(f.version());
                data.bytes(f.program());
            }
            case TaggedField.RoutingInfo r -> {
                ByteBuffer hops = ByteBuffer.allocate(r.hops().size() * RouteHop.WIRE_LENGTH);
                for (RouteHop hop : r.hops()) {
                    hops.put(hop.nodeId()).putLong(hop.shortChannelId()).putInt((int) hop.feeBaseMsat())
                            .putInt((int) hop.feeProportionalMillionths()).putShort((short) hop.cltvExpiryDelta());
                }
                data.bytes(hops.array());
            }
            case TaggedField.Features f -> {
                BitSet bits = f.bits();
                int n = f.words();
                for (int w = n - 1; w >= 0; w--) {
                    int word = 0;
                    for (int b = 0; b < 5; b++) {
                        word |= bits.get(w * 5 + b) ? 1 << b : 0;
                    }
                    data.word(word);
                }
            }
            case TaggedField.Unknown u -> {
                for (byte w : u.words()) {
                    data.word(w);
                }
            }
        }
        return data;
    }
}
