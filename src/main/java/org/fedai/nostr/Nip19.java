package org.fedai.nostr;

import fr.acinq.bitcoin.Bech32;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * NIP-19 bech32 entities (https://github.com/nostr-protocol/nips/blob/master/19.md): the bare
 * {@code npub nsec note} and the TLV-carrying {@code nprofile nevent naddr}. Bech32 itself is
 * ACINQ's; this class owns only the NIP-19 framing and TLV.
 */
public final class Nip19 {

    private static final int TLV_SPECIAL = 0;
    private static final int TLV_RELAY = 1;
    private static final int TLV_AUTHOR = 2;
    private static final int TLV_KIND = 3;

    /** A decoded NIP-19 entity. */
    public sealed interface Entity {
    }

    public record Npub(String pubkey) implements Entity {
    }

    public record Nsec(byte[] secretKey) implements Entity {
    }

    public record Note(String eventId) implements Entity {
    }

    public record Nprofile(String pubkey, List<String> relays) implements Entity {
        public Nprofile {
            relays = List.copyOf(relays);
        }
    }

    /** {@code author} may be null and {@code kind} negative when absent. */
    public record Nevent(String eventId, List<String> relays, String author, int kind) implements Entity {
        public Nevent {
            relays = List.copyOf(relays);
        }
    }

    public record Naddr(String identifier, String pubkey, int kind, List<String> relays) implements Entity {
        public Naddr {
            relays = List.copyOf(relays);
        }
    }

    private Nip19() {
    }

    public static String encodeNpub(String pubkeyHex) {
        return bech32("npub", Hex.decodeFixed(pubkeyHex, 32));
    }

    /** Characters of an npub that name a key in a log or progress line: "npub1" and 11 more, 55 bits. */
    public static final int SHORT_NPUB = 16;

    /**
     * How fedai names a key where the whole npub would not fit: its npub's first {@link #SHORT_NPUB} characters,
     * which a person can match against the npub a role printed at start (one form everywhere, never hex).
     */
    public static String shortNpub(String pubkeyHex) {
        return encodeNpub(pubkeyHex).substring(0, SHORT_NPUB);
    }

    public static String encodeNsec(byte[] secretKey) {
        if (secretKey.length != 32) {
            throw new IllegalArgumentException("secret key must be 32 bytes");
        }
        return bech32("nsec", secretKey);
    }

    public static String encodeNote(String eventIdHex) {
        return bech32("note", Hex.decodeFixed(eventIdHex, 32));
    }

    public static String encodeNprofile(String pubkeyHex, List<String> relays) {
        ByteArrayOutputStream tlv = new ByteArrayOutputStream();
        putTlv(tlv, TLV_SPECIAL, Hex.decodeFixed(pubkeyHex, 32));
        relays.forEach(r -> putTlv(tlv, TLV_RELAY, r.getBytes(StandardCharsets.UTF_8)));
        return bech32("nprofile", tlv.toByteArray());
    }

    public static String encodeNevent(String eventIdHex, List<String> relays, String authorHex, Integer kind) {
        ByteArrayOutputStream tlv = new ByteArrayOutputStream();
        putTlv(tlv, TLV_SPECIAL, Hex.decodeFixed(eventIdHex, 32));
        relays.forEach(r -> putTlv(tlv, TLV_RELAY, r.getBytes(StandardCharsets.UTF_8)));
        if (authorHex != null) {
            putTlv(tlv, TLV_AUTHOR, Hex.decodeFixed(authorHex, 32));
        }
        if (kind != null) {
            putTlv(tlv, TLV_KIND, ByteBuffer.allocate(4).putInt(kind).array());
        }
        return bech32("nevent", tlv.toByteArray());
    }

    public static String encodeNaddr(String identifier, String pubkeyHex, int kind, List<String> relays) {
        ByteArrayOutputStream tlv = new ByteArrayOutputStream();
        putTlv(tlv, TLV_SPECIAL, identifier.getBytes(StandardCharsets.UTF_8));
        relays.forEach(r -> putTlv(tlv, TLV_RELAY, r.getBytes(StandardCharsets.UTF_8)));
        putTlv(tlv, TLV_AUTHOR, Hex.decodeFixed(pubkeyHex, 32));
        putTlv(tlv, TLV_KIND, ByteBuffer.allocate(4).putInt(kind).array());
        return bech32("naddr", tlv.toByteArray());
    }

    public static byte[] decodeNsec(String nsec) {
        if (decode(nsec) instanceof Nsec n) {
            return n.secretKey();
        }
        throw new IllegalArgumentException("not an nsec");
    }

    public static String decodeNpub(String npub) {
        if (decode(npub) instanceof Npub n) {
            return n.pubkey();
        }
        throw new IllegalArgumentException("not an npub");
    }

    /** Decodes any NIP-19 entity; IllegalArgumentException with the reason on bad input. */
    public static Entity decode(String bech32) {
        String s = bech32.strip();
        if (s.startsWith("nostr:")) {
            s = s.substring(6);
        }
        byte[] data;
        String hrp;
        try {
            var decoded = Bech32.decodeBytes(s.toLowerCase(Locale.ROOT), false);
            hrp = decoded.getFirst();
            data = decoded.getSecond();
            if (decoded.getThird() != Bech32.Encoding.Bech32) {
                throw new IllegalArgumentException("NIP-19 uses bech32, not bech32m");
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid bech32: " + e.getMessage(), e);
        }
        return switch (hrp) {
            case "npub" -> new Npub(Hex.encode(exactly32(data, "npub")));
            case "nsec" -> new Nsec(exactly32(data, "nsec"));
            case "note" -> new Note(Hex.encode(exactly32(data, "note")));
            case "nprofile", "nevent", "naddr" -> decodeTlv(hrp, data);
            default -> throw new IllegalArgumentException("unknown NIP-19 prefix: " + hrp);
        };
    }

    private static Entity decodeTlv(String hrp, byte[] data) {
        byte[] special = null;
        byte[] author = null;
        int kind = -1;
        List<String> relays = new ArrayList<>();
        int i = 0;
        while (i < data.length) {
            if (i + 2 > data.length) {
                throw new IllegalArgumentException("truncated TLV");
            }
            int type = data[i] & 0xFF;
            int length = data[i + 1] & 0xFF;
            i += 2;
            if (i + length > data.length) {
                throw new IllegalArgumentException("TLV length runs past the data");
            }
            byte[] value = java.util.Arrays.copyOfRange(data, i, i + length);
            i += length;
            switch (type) {
                case TLV_SPECIAL -> special = special == null ? value : special;
                case TLV_RELAY -> relays.add(new String(value, StandardCharsets.UTF_8));
                case TLV_AUTHOR -> author = author == null ? exactly32(value, "author") : author;
                case TLV_KIND -> {
                    if (value.length != 4) {
                        throw new IllegalArgumentException("kind TLV must be 4 bytes");
                    }
                    kind = ByteBuffer.wrap(value).getInt();
                }
                default -> { } // unknown TLV types are ignored, as NIP-19 asks
            }
        }
        if (special == null) {
            throw new IllegalArgumentException(hrp + " lacks its special TLV");
        }
        return switch (hrp) {
            case "nprofile" -> new Nprofile(Hex.encode(exactly32(special, "nprofile pubkey")), relays);
            case "nevent" -> new Nevent(Hex.encode(exactly32(special, "nevent id")), relays,
                    author == null ? null : Hex.encode(author), kind);
            default -> {
                if (author == null || kind < 0) {
                    throw new IllegalArgumentException("naddr needs author and kind");
                }
                yield new Naddr(new String(special, StandardCharsets.UTF_8), Hex.encode(author), kind, relays);
            }
        };
    }

    private static byte[] exactly32(byte[] value, String what) {
        if (value.length != 32) {
            throw new IllegalArgumentException(what + " must be 32 bytes, got " + value.length);
        }
        return value;
    }

    private static void putTlv(ByteArrayOutputStream out, int type, byte[] value) {
        if (value.length > 255) {
            throw new IllegalArgumentException("TLV value longer than 255 bytes");
        }
        out.write(type);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static String bech32(String hrp, byte[] data) {
        return Bech32.encodeBytes(hrp, data, Bech32.Encoding.Bech32);
    }
}
