package org.fedai.roles.fl;

import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.fedai.fl.secagg.SecAggMessage;
import org.fedai.fl.secagg.SecAggServer;
import org.fedai.fl.secagg.Shamir;
import org.fedai.nostr.Hex;
import org.fedai.protocol.FlMessage;

/**
 * The one codec between SecAgg+ messages (byte arrays, BigIntegers) and their federation-event records (hex,
 * base64): the aggregator, the full nodes, verify-round and the simulator's relay transport all convert here.
 */
final class SecAggWire {

    private SecAggWire() {
    }

    static SecAggMessage.EnrollmentKeys enrollment(int round, FlMessage.Member m) {
        return new SecAggMessage.EnrollmentKeys(round, m.participant(), Hex.decode(m.cipherPublicKey()),
                Hex.decode(m.maskPublicKey()));
    }

    static FlMessage.Enrollment enrollment(SecAggMessage.EnrollmentKeys k) {
        return new FlMessage.Enrollment(k.round(), k.participant(), Hex.encode(k.cipherPublicKey()), Hex.encode(k.maskPublicKey()));
    }

    static FlMessage.KeyShare keyShare(SecAggMessage.EncryptedShare s) {
        Base64.Encoder b64 = Base64.getEncoder();
        return new FlMessage.KeyShare(s.round(), s.from(), s.to(), b64.encodeToString(s.nonce()),
                b64.encodeToString(s.ciphertext()));
    }

    static SecAggMessage.EncryptedShare keyShare(FlMessage.KeyShare s) {
        Base64.Decoder b64 = Base64.getDecoder();
        return new SecAggMessage.EncryptedShare(s.round(), s.from(), s.to(), b64.decode(s.nonce()), b64.decode(s.ciphertext()));
    }

    static SecAggMessage.UnmaskRequest unmaskRequest(FlMessage.UnmaskRequest r) {
        return new SecAggMessage.UnmaskRequest(r.round(), r.survivors(), r.dropped());
    }

    static FlMessage.UnmaskRequest unmaskRequest(SecAggMessage.UnmaskRequest r, String group) {
        return new FlMessage.UnmaskRequest(r.round(), group, r.survivors(), r.dropped());
    }

    static FlMessage.UnmaskResponse unmaskResponse(SecAggMessage.UnmaskResponse r) {
        return new FlMessage.UnmaskResponse(r.round(), r.from(), toWire(r.selfMaskShares()), toWire(r.maskKeyShares()));
    }

    static SecAggMessage.UnmaskResponse unmaskResponse(FlMessage.UnmaskResponse r) {
        return new SecAggMessage.UnmaskResponse(r.round(), r.from(), fromWire(r.selfMaskShares()), fromWire(r.maskKeyShares()));
    }

    static FlMessage.UnmaskReveal reveal(int round, String group, SecAggServer.Reveal r) {
        return new FlMessage.UnmaskReveal(round, group, r.survivors(), r.dropped(), hex(r.selfMaskSeeds()), hex(r.maskKeys()));
    }

    static SecAggServer.Reveal reveal(FlMessage.UnmaskReveal r) {
        return new SecAggServer.Reveal(r.survivors(), r.dropped(), bytes(r.selfMaskSeeds()), bytes(r.maskKeys()));
    }

    private static Map<String, String> hex(Map<String, byte[]> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, Hex.encode(v)));
        return out;
    }

    private static Map<String, byte[]> bytes(Map<String, String> hex) {
        Map<String, byte[]> out = new HashMap<>();
        hex.forEach((k, v) -> out.put(k, Hex.decode(v)));
        return out;
    }

    private static Map<String, FlMessage.Share> toWire(Map<String, Shamir.Share> shares) {
        Map<String, FlMessage.Share> out = new TreeMap<>();
        shares.forEach((owner, s) -> {
            String y = s.y().toString(16);
            out.put(owner, new FlMessage.Share(s.x(), y.length() % 2 == 0 ? y : "0" + y));
        });
        return out;
    }

    private static Map<String, Shamir.Share> fromWire(Map<String, FlMessage.Share> shares) {
        Map<String, Shamir.Share> out = new TreeMap<>();
        shares.forEach((owner, s) -> out.put(owner, new Shamir.Share(s.x(), new BigInteger(s.y(), 16))));
        return out;
    }
}
