package org.fedai.roles.fl;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedai.fl.secagg.Quantizer;
import org.fedai.fl.secagg.SecAggConfig;
import org.fedai.fl.secagg.SecAggMessage;
import org.fedai.fl.secagg.Shamir;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.protocol.FlMessage;

/**
 * Between SecAgg+ messages (byte arrays, BigIntegers) and their federation-event records (hex, base64),
 * and the one secure-aggregation configuration every member of a group derives from the published roster
 * alone: session = task address + group, graph seed = sha256 of (task, round, group), degree and threshold
 * from {@link SecAggConfig#forRoster} at the declared dropout tolerance.
 */
final class SecAggWire {

    /** The dropout fraction secure groups are sized for across processes. */
    static final double DROPOUT_TOLERANCE = 0.1;

    private SecAggWire() {
    }

    static SecAggConfig config(String taskAddress, int round, String group, List<String> members, int vectorLength) {
        byte[] seed = Sha256.hash(("fedai/secagg-graph/v1|" + taskAddress + "|" + round + "|" + group)
                .getBytes(StandardCharsets.UTF_8));
        return SecAggConfig.forRoster(taskAddress + "/" + group, round, members, vectorLength, DROPOUT_TOLERANCE,
                ByteBuffer.wrap(seed).getLong());
    }

    /** [w*delta, w*clip] with w = min(samples, cap) / cap: the group sum carries both the weighted update and its weight. */
    static int[] encodeWeighted(double[] delta, int samples, int cap, Quantizer q) {
        double w = Math.min(samples, cap) / (double) cap;
        double[] v = new double[delta.length + 1];
        for (int j = 0; j < delta.length; j++) {
            v[j] = w * delta[j];
        }
        v[delta.length] = w * q.range();
        return q.encode(v);
    }

    static SecAggMessage.EnrollmentKeys enrollment(int round, FlMessage.Member m) {
        return new SecAggMessage.EnrollmentKeys(round, m.participant(), Hex.decode(m.cipherPublicKey()),
                Hex.decode(m.maskPublicKey()));
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

    static FlMessage.UnmaskResponse unmaskResponse(SecAggMessage.UnmaskResponse r) {
        return new FlMessage.UnmaskResponse(r.round(), r.from(), toWire(r.selfMaskShares()), toWire(r.maskKeyShares()));
    }

    static SecAggMessage.UnmaskResponse unmaskResponse(FlMessage.UnmaskResponse r) {
        return new SecAggMessage.UnmaskResponse(r.round(), r.from(), fromWire(r.selfMaskShares()), fromWire(r.maskKeyShares()));
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
