package org.fedai.payment.nwc;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Secp256k1Keys;

/**
 * A NIP-47 connection URI (https://github.com/nostr-protocol/nips/blob/master/47.md#nostr-wallet-connect-uri):
 * {@code nostr+walletconnect://<wallet service pubkey>?relay=<url>&relay=<url2>&secret=<hex>&lud16=<address>}.
 * The secret is the client's own signing and encryption key for this one connection.
 *
 * @param walletPubkey the wallet service's x-only pubkey, lower-case hex
 * @param relays       at least one ws:// or wss:// relay URL, percent-decoded, in URI order
 * @param secret       the client's 32-byte secret key, lower-case hex
 * @param lud16        the optional lightning address, or null
 */
public record NwcUri(String walletPubkey, List<String> relays, String secret, String lud16) {

    public static final String SCHEME = "nostr+walletconnect";

    /** Why a connection URI was refused. */
    public enum Error {
        NOT_NWC_SCHEME("URI does not start with nostr+walletconnect://"),
        BAD_PUBKEY("wallet service pubkey is not 64 hex characters"),
        BAD_PERCENT_ENCODING("a query value has an invalid percent escape"),
        NO_RELAY("no relay parameter"),
        BAD_RELAY("a relay is not a ws:// or wss:// URL with a host"),
        MISSING_SECRET("no secret parameter"),
        DUPLICATE_SECRET("more than one secret parameter"),
        BAD_SECRET("secret is not a valid 32-byte secret key in hex"),
        EMPTY_LUD16("lud16 parameter is empty");

        private final String reason;

        Error(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** A refused connection URI, with its {@link Error}. The URI itself is never in the message: it holds a secret. */
    public static final class InvalidNwcUri extends IllegalArgumentException {
        private final Error error;

        InvalidNwcUri(Error error) {
            super("invalid NWC URI: " + error.reason());
            this.error = error;
        }

        public Error error() {
            return error;
        }
    }

    public NwcUri {
        if (!Hex.isLowerHex(walletPubkey, 32)) {
            throw new InvalidNwcUri(Error.BAD_PUBKEY);
        }
        relays = List.copyOf(relays);
        if (relays.isEmpty()) {
            throw new InvalidNwcUri(Error.NO_RELAY);
        }
        relays.forEach(NwcUri::checkRelay);
        if (secret == null) {
            throw new InvalidNwcUri(Error.MISSING_SECRET);
        }
        if (!Hex.isLowerHex(secret, 32) || !Secp256k1Keys.isValidSecretKey(Hex.decode(secret))) {
            throw new InvalidNwcUri(Error.BAD_SECRET);
        }
        if (lud16 != null && lud16.isBlank()) {
            throw new InvalidNwcUri(Error.EMPTY_LUD16);
        }
    }

    /**
     * Strict parse. Accepts the older {@code nostr+walletconnect:<pubkey>} form (no slashes) that early
     * wallets issued; hex is accepted in either case and normalised to lower case; unknown parameters are ignored.
     */
    public static NwcUri parse(String uri) {
        String s = uri == null ? "" : uri.strip();
        String prefix = SCHEME + ":";
        if (!s.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new InvalidNwcUri(Error.NOT_NWC_SCHEME);
        }
        String rest = s.substring(prefix.length());
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int q = rest.indexOf('?');
        String pubkey = (q < 0 ? rest : rest.substring(0, q)).toLowerCase(Locale.ROOT);
        if (pubkey.endsWith("/")) {
            pubkey = pubkey.substring(0, pubkey.length() - 1);
        }
        if (!Hex.isLowerHex(pubkey, 32)) {
            throw new InvalidNwcUri(Error.BAD_PUBKEY);
        }
        List<String> relays = new ArrayList<>();
        String secret = null;
        String lud16 = null;
        String query = q < 0 ? "" : rest.substring(q + 1);
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            switch (name) {
                case "relay" -> relays.add(value);
                case "secret" -> {
                    if (secret != null) {
                        throw new InvalidNwcUri(Error.DUPLICATE_SECRET);
                    }
                    secret = value.toLowerCase(Locale.ROOT);
                }
                case "lud16" -> lud16 = value;
                default -> {
                    // unknown parameters are for future extensions
                }
            }
        }
        if (relays.isEmpty()) {
            throw new InvalidNwcUri(Error.NO_RELAY);
        }
        return new NwcUri(pubkey, relays, secret, lud16);
    }

    /** The canonical form: {@code //} after the scheme, values percent-encoded (as the NIP's example does). */
    public String format() {
        StringBuilder sb = new StringBuilder(SCHEME).append("://").append(walletPubkey).append('?');
        for (String relay : relays) {
            sb.append("relay=").append(encode(relay)).append('&');
        }
        sb.append("secret=").append(secret);
        if (lud16 != null) {
            sb.append("&lud16=").append(encode(lud16));
        }
        return sb.toString();
    }

    /** The client's key pair for this connection. */
    public KeyPair clientKeys() {
        return KeyPair.parse(secret);
    }

    /** A fresh connection to {@code walletPubkey}: a new random client secret. The wallet keeps only its pubkey. */
    public static NwcUri issue(String walletPubkey, List<String> relays, String lud16) {
        return new NwcUri(walletPubkey, relays, KeyPair.generate().secretKeyHex(), lud16);
    }

    @Override
    public String toString() {
        return "NwcUri[wallet=" + walletPubkey + ", relays=" + relays + ", secret=<redacted>, lud16=" + lud16 + "]";
    }

    private static void checkRelay(String relay) {
        try {
            URI u = new URI(relay);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("ws") || scheme.equals("wss")) || u.getHost() == null || u.getHost().isEmpty()) {
                throw new InvalidNwcUri(Error.BAD_RELAY);
            }
        } catch (URISyntaxException | NullPointerException e) {
            throw new InvalidNwcUri(Error.BAD_RELAY);
        }
    }

    private static String decode(String s) {
        // not URLDecoder's form rules alone: '+' stays '+' because relay URLs and addresses may hold it literally
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidNwcUri(Error.BAD_PERCENT_ENCODING);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
