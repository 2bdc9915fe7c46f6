package org.fedai.payment;

import fr.acinq.bitcoin.Bech32;
import fr.acinq.secp256k1.Secp256k1;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import kotlin.Triple;
import org.fedai.nostr.Sha256;

/**
 * BOLT #11 invoices (https://github.com/lightning/bolts/blob/master/11-payment-encoding.md):
 * decode with every reader requirement, encode, and sign with a node key. Bech32 is ACINQ's
 * bitcoin-kmp (without BIP-173's 90-character limit), ECDSA is libsecp256k1 through secp256k1-kmp.
 */
public final class Bolt11Codec {

    static final int MAX_FIELD_WORDS = 1023;
    private static final int TIMESTAMP_WORDS = 7;
    private static final int SIGNATURE_WORDS = 104;
    private static final long MSAT_PER_BTC = 100_000_000_000L;
    private static final String LIGHTNING_URI = "lightning:";
    private static final Secp256k1 SECP = Secp256k1.Companion.get();

    /** Feature bits (BOLT #9, context "9") this reader knows, as even/odd pairs: var_onion_optin,
     *  payment_secret, basic_mpp, option_route_blinding, option_payment_metadata. */
    private static final BitSet KNOWN_FEATURES = new BitSet();

    static {
        for (int even : new int[] {8, 14, 16, 24, 48}) {
            KNOWN_FEATURES.set(even);
            KNOWN_FEATURES.set(even + 1);
        }
    }

    private Bolt11Codec() {
    }

    /** A parsed invoice whose signature is not yet checked; the proof verifier checks cheap rules first. */
    record Parsed(Bolt11Network network, OptionalLong amountMsat, long timestamp, List<TaggedField> fields,
                  byte[] signature, byte[] sigHash, byte[] declaredPayee) {
    }

    /** Decodes and checks an invoice, recovering the payee when there is no {@code n} field. */
    public static Bolt11Invoice decode(String invoice) {
        Parsed parsed = parse(invoice);
        byte[] payee = parsed.declaredPayee() != null ? verifyDeclared(parsed) : recover(parsed);
        return toInvoice(parsed, payee);
    }

    static Bolt11Invoice toInvoice(Parsed parsed, byte[] payee) {
        return new Bolt11Invoice(parsed.network(), parsed.amountMsat(), parsed.timestamp(), parsed.fields(),
                payee, parsed.signature());
    }

    /** True when the signature is valid for this 33-byte key: cheaper than recovery when the key is known. */
    static boolean signedBy(Parsed parsed, byte[] nodeId) {
        try {
            byte[] compact = Arrays.copyOf(parsed.signature(), 64);
            // libsecp256k1 verifies low-s signatures only; BOLT #11 readers accept either form
            compact = SECP.signatureNormalize(compact).getFirst();
            return SECP.verify(compact, parsed.sigHash(), nodeId);
        } catch (RuntimeException invalidKeyOrSignature) {
            return false;
        }
    }

    static byte[] verifyDeclared(Parsed parsed) {
        if (!signedBy(parsed, parsed.declaredPayee())) {
            throw new Bolt11Exception(Bolt11Error.BAD_SIGNATURE, "signature is not valid for the n field's key");
        }
        return parsed.declaredPayee();
    }

    static byte[] recover(Parsed parsed) {
        byte[] sig = parsed.signature();
        int recid = sig[64];
        if (recid < 0 || recid > 3) {
            throw new Bolt11Exception(Bolt11Error.BAD_SIGNATURE, "recovery id " + recid + " is not 0..3");
        }
        try {
            return SECP.pubKeyCompress(SECP.ecdsaRecover(Arrays.copyOf(sig, 64), parsed.sigHash(), recid));
        } catch (RuntimeException notRecoverable) {
            throw new Bolt11Exception(Bolt11Error.BAD_SIGNATURE, "signature is not recoverable");
        }
    }

    /** Everything but the signature check. */
    static Parsed parse(String invoice) {
        if (invoice == null || invoice.isEmpty()) {
            throw new Bolt11Exception(Bolt11Error.BAD_BECH32, "empty invoice");
        }
        String s = invoice.strip();
        if (s.regionMatches(true, 0, LIGHTNING_URI, 0, LIGHTNING_URI.length())) {
            s = s.substring(LIGHTNING_URI.length());
        }
        Triple<String, Byte[], Bech32.Encoding> decoded;
        try {
            decoded = Bech32.decode(s, false);
        } catch (RuntimeException e) {
            throw new Bolt11Exception(Bolt11Error.BAD_BECH32, String.valueOf(e.getMessage()));
        }
        if (decoded.getThird() != Bech32.Encoding.Bech32) {
            throw new Bolt11Exception(Bolt11Error.BAD_BECH32, "invoices use bech32, not " + decoded.getThird());
        }
        String hrp = decoded.getFirst().toLowerCase(Locale.ROOT);
        Byte[] boxed = decoded.getSecond();
        byte[] words = new byte[boxed.length];
        for (int i = 0; i < words.length; i++) {
            words[i] = boxed[i];
        }
        Bolt11Network network = Bolt11Network.ofHumanReadablePart(hrp);
        if (network == null) {
            throw new Bolt11Exception(Bolt11Error.UNKNOWN_PREFIX, "unknown currency prefix in '" + hrp + "'");
        }
        OptionalLong amount = parseAmount(hrp.substring(network.prefix().length()));
        if (words.length < TIMESTAMP_WORDS + SIGNATURE_WORDS) {
            throw new Bolt11Exception(Bolt11Error.TOO_SHORT,
                    words.length + " data words, need at least " + (TIMESTAMP_WORDS + SIGNATURE_WORDS));
        }
        int sigStart = words.length - SIGNATURE_WORDS;
        long timestamp = readInt(words, 0, TIMESTAMP_WORDS);
        List<TaggedField> fields = new ArrayList<>();
        byte[] declaredPayee = null;
        boolean hasHash = false;
        boolean hasDescription = false;
        int i = TIMESTAMP_WORDS;
        while (i < sigStart) {
            if (i + 3 > sigStart) {
                throw new Bolt11Exception(Bolt11Error.FIELD_OVERRUN, "truncated tagged field header at word " + i);
            }
            int type = words[i];
            int length = (words[i + 1] << 5) | words[i + 2];
            int from = i + 3;
            int to = from + length;
            if (to > sigStart) {
                throw new Bolt11Exception(Bolt11Error.FIELD_OVERRUN,
                        "field type " + type + " of " + length + " words runs past the signature");
            }
            TaggedField field = readField(type, words, from, to);
            fields.add(field);
            hasHash |= field instanceof TaggedField.PaymentHash;
            hasDescription |= field instanceof TaggedField.Description || field instanceof TaggedField.DescriptionHash;
            if (field instanceof TaggedField.PayeeNodeId n && declaredPayee == null) {
                declaredPayee = n.nodeId();
            } else if (field instanceof TaggedField.Features f) {
                requireKnownEvenBits(f.bits());
            }
            i = to;
        }
        if (!hasHash) {
            throw new Bolt11Exception(Bolt11Error.MISSING_PAYMENT_HASH, "no 52-word p field");
        }
        if (!hasDescription) {
            throw new Bolt11Exception(Bolt11Error.MISSING_DESCRIPTION, "neither d nor h field");
        }
        byte[] signature = toBytes(words, sigStart, words.length);
        byte[] sigHash = signatureHash(hrp, words, sigStart);
        return new Parsed(network, amount, timestamp, fields, signature, sigHash, declaredPayee);
    }

    /** Encodes an already signed invoice (its stored signature, no key needed). */
    public static String encode(Bolt11Invoice invoice) {
        WordBuffer out = unsignedWords(invoice.timestamp(), invoice.fields());
        out.bytes(invoice.signature());
        return bech32(hrp(invoice.network(), invoice.amountMsat()), out);
    }

    /** Signs the invoice with the node's secret key (RFC 6979 nonces: the same input signs the same way). */
    public static Bolt11Invoice sign(Bolt11Network network, OptionalLong amountMsat, long timestamp,
                                     List<TaggedField> fields, byte[] nodeSecret) {
        if (nodeSecret == null || nodeSecret.length != 32 || !SECP.secKeyVerify(nodeSecret)) {
            throw new IllegalArgumentException("node secret must be a valid 32-byte secp256k1 key");
        }
        byte[] uncompressed = SECP.pubkeyCreate(nodeSecret);
        byte[] nodeId = SECP.pubKeyCompress(uncompressed);
        for (TaggedField f : fields) {
            if (f instanceof TaggedField.PayeeNodeId n && !Arrays.equals(n.nodeId(), nodeId)) {
                throw new IllegalArgumentException("the n field names another key than the signer's");
            }
        }
        // builds and validates the unsigned part exactly as encode() will write it
        Bolt11Invoice placeholder = new Bolt11Invoice(network, amountMsat, timestamp, fields, nodeId, new byte[65]);
        WordBuffer unsigned = unsignedWords(timestamp, placeholder.fields());
        String hrp = hrp(network, amountMsat);
        byte[] sigHash = signatureHash(hrp, unsigned.toArray(), unsigned.size());
        byte[] compact = SECP.sign(sigHash, nodeSecret, null);
        for (int recid = 0; recid < 4; recid++) {
            byte[] recovered;
            try {
                recovered = SECP.ecdsaRecover(compact, sigHash, recid);
            } catch (RuntimeException tryNext) {
                continue;
            }
            if (Arrays.equals(recovered, uncompressed)) {
                byte[] signature = Arrays.copyOf(compact, 65);
                signature[64] = (byte) recid;
                return new Bolt11Invoice(network, amountMsat, timestamp, fields, nodeId, signature);
            }
        }
        throw new IllegalStateException("no recovery id reproduces the signer's key");
    }

    /** The 33-byte compressed public key of a node secret: the invoice payee. */
    public static byte[] nodeId(byte[] nodeSecret) {
        return SECP.pubKeyCompress(SECP.pubkeyCreate(nodeSecret));
    }

    // ---- human-readable part ----

    static OptionalLong parseAmount(String amount) {
        if (amount.isEmpty()) {
            return OptionalLong.empty();
        }
        char last = amount.charAt(amount.length() - 1);
        String digits = Character.isDigit(last) ? amount : amount.substring(0, amount.length() - 1);
        if (digits.isEmpty() || digits.charAt(0) == '0') {
            throw new Bolt11Exception(Bolt11Error.BAD_AMOUNT, "amount '" + amount + "' is not a positive number without leading 0");
        }
        long value = 0;
        try {
            for (int i = 0; i < digits.length(); i++) {
                char c = digits.charAt(i);
                if (c < '0' || c > '9') {
                    throw new Bolt11Exception(Bolt11Error.BAD_AMOUNT, "amount '" + amount + "' has a non-digit");
                }
                value = Math.addExact(Math.multiplyExact(value, 10), c - '0');
            }
            if (Character.isDigit(last)) {
                return OptionalLong.of(Math.multiplyExact(value, MSAT_PER_BTC));
            }
            return OptionalLong.of(switch (last) {
                case 'm' -> Math.multiplyExact(value, 100_000_000L);
                case 'u' -> Math.multiplyExact(value, 100_000L);
                case 'n' -> Math.multiplyExact(value, 100L);
                case 'p' -> {
                    if (value % 10 != 0) {
                        throw new Bolt11Exception(Bolt11Error.SUB_MILLISATOSHI_AMOUNT,
                                amount + " is not a whole number of millisatoshis");
                    }
                    yield value / 10;
                }
                default -> throw new Bolt11Exception(Bolt11Error.BAD_AMOUNT, "unknown multiplier '" + last + "'");
            });
        } catch (ArithmeticException overflow) {
            throw new Bolt11Exception(Bolt11Error.BAD_AMOUNT, "amount '" + amount + "' overflows");
        }
    }

    /** The shortest form: the largest multiplier that leaves a whole number. */
    static String formatAmount(long msat) {
        if (msat <= 0 || msat > Long.MAX_VALUE / 10) {
            throw new IllegalArgumentException("amount must be 1.." + (Long.MAX_VALUE / 10) + " msat");
        }
        long pico = msat * 10;
        long[] units = {1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] suffixes = {"", "m", "u", "n", "p"};
        for (int i = 0; i < units.length; i++) {
            if (pico % units[i] == 0) {
                return (pico / units[i]) + suffixes[i];
            }
        }
        throw new AssertionError("unit 1 divides everything");
    }

    private static String hrp(Bolt11Network network, OptionalLong amountMsat) {
        return network.prefix() + (amountMsat.isPresent() ? formatAmount(amountMsat.getAsLong()) : "");
    }

    // ---- tagged fields ----

    private static TaggedField readField(int type, byte[] words, int from, int to) {
        int length = to - from;
        return switch (type) {
            case TaggedField.P -> length == 52 ? new TaggedField.PaymentHash(toBytes(words, from, to)) : unknown(type, words, from, to);
            case TaggedField.S -> length == 52 ? new TaggedField.PaymentSecret(toBytes(words, from, to)) : unknown(type, words, from, to);
            case TaggedField.H -> length == 52 ? new TaggedField.DescriptionHash(toBytes(words, from, to)) : unknown(type, words, from, to);
            case TaggedField.N -> length == 53 ? new TaggedField.PayeeNodeId(toBytes(words, from, to)) : unknown(type, words, from, to);
            case TaggedField.D -> new TaggedField.Description(utf8(toBytes(words, from, to)));
            case TaggedField.X -> new TaggedField.Expiry(readBoundedInt(words, from, to, "x"));
            case TaggedField.C -> new TaggedField.MinFinalCltvExpiry(readBoundedInt(words, from, to, "c"));
            case TaggedField.M -> new TaggedField.Metadata(toBytes(words, from, to));
            case TaggedField.NINE -> new TaggedField.Features(readFeatures(words, from, to));
            case TaggedField.F -> readFallback(words, from, to);
            case TaggedField.R -> readRoute(words, from, to);
            default -> unknown(type, words, from, to);
        };
    }

    private static TaggedField unknown(int type, byte[] words, int from, int to) {
        return new TaggedField.Unknown(type, Arrays.copyOfRange(words, from, to));
    }

    private static TaggedField readFallback(byte[] words, int from, int to) {
        if (to == from || words[from] > 18) {
            return unknown(TaggedField.F, words, from, to); // versions 19..31 are for the future: skip
        }
        int version = words[from];
        byte[] program = toBytes(words, from + 1, to);
        boolean valid = version >= 17 ? program.length == 20
                : version == 0 ? program.length == 20 || program.length == 32
                : program.length >= 2 && program.length <= 40;
        return valid ? new TaggedField.Fallback(version, program) : unknown(TaggedField.F, words, from, to);
    }

    private static TaggedField readRoute(byte[] words, int from, int to) {
        byte[] bytes = toBytes(words, from, to);
        if (bytes.length == 0 || bytes.length % RouteHop.WIRE_LENGTH != 0) {
            return unknown(TaggedField.R, words, from, to);
        }
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

    private static void requireKnownEvenBits(BitSet bits) {
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
        return readInt(words, from, to - from);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Bolt11Exception(Bolt11Error.BAD_FIELD, "d field is not valid UTF-8");
        }
    }

    private static WordBuffer unsignedWords(long timestamp, List<TaggedField> fields) {
        WordBuffer out = new WordBuffer();
        out.integer(timestamp, TIMESTAMP_WORDS);
        for (TaggedField field : fields) {
            WordBuffer data = new WordBuffer();
            switch (field) {
                case TaggedField.PaymentHash p -> data.bytes(p.hash());
                case TaggedField.PaymentSecret s -> data.bytes(s.secret());
                case TaggedField.DescriptionHash h -> data.bytes(h.hash());
                case TaggedField.PayeeNodeId n -> data.bytes(n.nodeId());
                case TaggedField.Description d -> data.bytes(d.text().getBytes(StandardCharsets.UTF_8));
                case TaggedField.Metadata m -> data.bytes(m.data());
                case TaggedField.Expiry x -> data.integer(x.seconds(), minimalWords(x.seconds()));
                case TaggedField.MinFinalCltvExpiry c -> data.integer(c.blocks(), minimalWords(c.blocks()));
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
                    int n = (bits.length() + 4) / 5;
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
            if (data.size() > MAX_FIELD_WORDS) {
                throw new IllegalArgumentException("field type " + field.type() + " needs " + data.size()
                        + " words; a field holds at most " + MAX_FIELD_WORDS + " (use h for long descriptions)");
            }
            out.word(field.type());
            out.word(data.size() >> 5);
            out.word(data.size() & 31);
            out.append(data);
        }
        return out;
    }

    private static int minimalWords(long value) {
        return (64 - Long.numberOfLeadingZeros(value) + 4) / 5;
    }

    private static String bech32(String hrp, WordBuffer words) {
        byte[] w = words.toArray();
        Byte[] boxed = new Byte[w.length];
        for (int i = 0; i < w.length; i++) {
            boxed[i] = w[i];
        }
        return Bech32.encode(hrp, boxed, Bech32.Encoding.Bech32);
    }

    // ---- 5-bit words ----

    /** SHA-256 of the hrp's UTF-8 bytes and the data words before the signature, zero-padded to a byte. */
    private static byte[] signatureHash(String hrp, byte[] words, int wordCount) {
        byte[] hrpBytes = hrp.getBytes(StandardCharsets.UTF_8);
        int dataBytes = (wordCount * 5 + 7) / 8;
        byte[] message = Arrays.copyOf(hrpBytes, hrpBytes.length + dataBytes);
        packWords(words, 0, wordCount, message, hrpBytes.length);
        return Sha256.hash(message);
    }

    /** Whole bytes of the words; trailing bits that do not make a byte (the padding) are dropped. */
    static byte[] toBytes(byte[] words, int from, int to) {
        byte[] out = new byte[(to - from) * 5 / 8];
        packWords(words, from, to, out, 0);
        return out;
    }

    private static void packWords(byte[] words, int from, int to, byte[] out, int offset) {
        int acc = 0;
        int bits = 0;
        int o = offset;
        for (int i = from; i < to; i++) {
            acc = (acc << 5) | words[i];
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                if (o < out.length) {
                    out[o++] = (byte) (acc >>> bits);
                }
                acc &= (1 << bits) - 1;
            }
        }
        if (bits > 0 && o < out.length) {
            out[o] = (byte) (acc << (8 - bits));
        }
    }

    private static long readInt(byte[] words, int from, int count) {
        long value = 0;
        for (int i = from; i < from + count; i++) {
            value = (value << 5) | words[i];
        }
        return value;
    }

    /** A growable array of 5-bit words. */
    private static final class WordBuffer {
        private byte[] words = new byte[128];
        private int size;

        void word(int w) {
            if (size == words.length) {
                words = Arrays.copyOf(words, size * 2);
            }
            words[size++] = (byte) w;
        }

        void integer(long value, int count) {
            for (int i = count - 1; i >= 0; i--) {
                word((int) ((value >>> (i * 5)) & 31));
            }
        }

        /** Bytes as words, the last one zero-padded. */
        void bytes(byte[] data) {
            int acc = 0;
            int bits = 0;
            for (byte b : data) {
                acc = (acc << 8) | (b & 0xFF);
                bits += 8;
                while (bits >= 5) {
                    bits -= 5;
                    word((acc >>> bits) & 31);
                }
                acc &= (1 << bits) - 1;
            }
            if (bits > 0) {
                word((acc << (5 - bits)) & 31);
            }
        }

        void append(WordBuffer other) {
            for (int i = 0; i < other.size; i++) {
                word(other.words[i]);
            }
        }

        int size() {
            return size;
        }

        byte[] toArray() {
            return Arrays.copyOf(words, size);
        }
    }
}
