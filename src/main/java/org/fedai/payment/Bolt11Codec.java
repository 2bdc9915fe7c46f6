package org.fedai.payment;

import fr.acinq.bitcoin.Bech32;
import fr.acinq.secp256k1.Secp256k1;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
        long timestamp = FiveBitWords.readInt(words, 0, TIMESTAMP_WORDS);
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
            TaggedField field = Bolt11Fields.read(type, words, from, to);
            fields.add(field);
            hasHash |= field instanceof TaggedField.PaymentHash;
            hasDescription |= field instanceof TaggedField.Description || field instanceof TaggedField.DescriptionHash;
            if (field instanceof TaggedField.PayeeNodeId n && declaredPayee == null) {
                declaredPayee = n.nodeId();
            } else if (field instanceof TaggedField.Features f) {
                Bolt11Fields.requireKnownEvenBits(f.bits());
            }
            i = to;
        }
        if (!hasHash) {
            throw new Bolt11Exception(Bolt11Error.MISSING_PAYMENT_HASH, "no 52-word p field");
        }
        if (!hasDescription) {
            throw new Bolt11Exception(Bolt11Error.MISSING_DESCRIPTION, "neither d nor h field");
        }
        byte[] signature = FiveBitWords.toBytes(words, sigStart, words.length);
        byte[] sigHash = signatureHash(hrp, words, sigStart);
        return new Parsed(network, amount, timestamp, fields, signature, sigHash, declaredPayee);
    }

    /** Encodes an already signed invoice (its stored signature, no key needed). */
    public static String encode(Bolt11Invoice invoice) {
        FiveBitWords.Buffer out = unsignedWords(invoice.timestamp(), invoice.fields());
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
        FiveBitWords.Buffer unsigned = unsignedWords(timestamp, placeholder.fields());
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
        if (nodeSecret == null || nodeSecret.length != 32 || !SECP.secKeyVerify(nodeSecret)) {
            throw new IllegalArgumentException("node secret must be a valid 32-byte secp256k1 key");
        }
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

    // ---- tagged fields: Bolt11Fields; words: FiveBitWords ----

    private static FiveBitWords.Buffer unsignedWords(long timestamp, List<TaggedField> fields) {
        FiveBitWords.Buffer out = new FiveBitWords.Buffer();
        out.integer(timestamp, TIMESTAMP_WORDS);
        for (TaggedField field : fields) {
            FiveBitWords.Buffer data = Bolt11Fields.write(field);
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

    private static String bech32(String hrp, FiveBitWords.Buffer words) {
        byte[] w = words.toArray();
        Byte[] boxed = new Byte[w.length];
        for (int i = 0; i < w.length; i++) {
            boxed[i] = w[i];
        }
        return Bech32.encode(hrp, boxed, Bech32.Encoding.Bech32);
    }

    /** SHA-256 of the hrp's UTF-8 bytes and the data words before the signature, zero-padded to a byte. */
    private static byte[] signatureHash(String hrp, byte[] words, int wordCount) {
        byte[] hrpBytes = hrp.getBytes(StandardCharsets.UTF_8);
        int dataBytes = (wordCount * 5 + 7) / 8;
        byte[] message = Arrays.copyOf(hrpBytes, hrpBytes.length + dataBytes);
        FiveBitWords.packWords(words, 0, wordCount, message, hrpBytes.length);
        return Sha256.hash(message);
    }
}
