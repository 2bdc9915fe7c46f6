package org.fedai.fl.secagg;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedai.fl.Rejection;
import org.fedai.fl.secagg.SecAggMessage.EncryptedShare;
import org.fedai.fl.secagg.SecAggMessage.EnrollmentKeys;
import org.fedai.fl.secagg.SecAggMessage.MaskedUpdate;
import org.fedai.fl.secagg.SecAggMessage.UnmaskRequest;
import org.fedai.fl.secagg.SecAggMessage.UnmaskResponse;
import org.fedai.fl.secagg.ShareCipher.SharePair;
import org.fedai.fl.secagg.Shamir.Share;
import org.fedai.nostr.Secp256k1Keys;

/**
 * One participant of one SecAgg+ instance (Bonawitz et al. 2017, with Bell et al.'s neighbourhoods):
 * advertise fresh keys, share secrets with neighbours, send the masked input, answer the unmask
 * request. Not thread-safe; one instance per participant per round.
 */
public final class SecAggClient {

    private final SecAggConfig cfg;
    private final String self;
    private final int index;
    private final Map<String, Integer> indexOf;
    private final Set<Integer> neighbours;
    private final SecureRandom random;
    private final byte[] cipherSecret;
    private final byte[] maskSecret;
    private final byte[] selfMaskSeed = new byte[32];
    private final Map<String, EnrollmentKeys> peers = new HashMap<>();
    /** Share-encryption key per neighbour, derived once: the same ECDH serves both directions. */
    private final Map<String, byte[]> pairKeys = new HashMap<>();
    /** Shares other participants gave me, by owner; an owner present here completed round 1. */
    private final Map<String, SharePair> held = new HashMap<>();
    /** My own share pair: I am one of my holders, so as a survivor I can vouch for my own self mask. */
    private SharePair own;
    private boolean masked;
    private boolean answered;

    public SecAggClient(SecAggConfig cfg, String self, SecureRandom random) {
        this(cfg, self, random, Secp256k1Keys.generateSecretKey(), Secp256k1Keys.generateSecretKey());
    }

    /**
     * With per-round secrets chosen earlier: over a relay a participant advertises its keys (4420) before the
     * roster, and so this configuration, exists.
     */
    public SecAggClient(SecAggConfig cfg, String self, SecureRandom random, byte[] cipherSecret, byte[] maskSecret) {
        this.cipherSecret = cipherSecret.clone();
        this.maskSecret = maskSecret.clone();
        this.cfg = cfg;
        this.self = self;
        this.indexOf = cfg.indexOf();
        Integer i = indexOf.get(self);
        if (i == null) {
            throw new IllegalArgumentException(self + " is not on the roster");
        }
        this.index = i;
        this.neighbours = cfg.graph().of(index);
        this.random = random;
        random.nextBytes(selfMaskSeed);
    }

    public EnrollmentKeys advertise() {
        return new EnrollmentKeys(cfg.round(), self, Secp256k1Keys.xOnlyPublicKey(cipherSecret),
                Secp256k1Keys.xOnlyPublicKey(maskSecret));
    }

    /**
     * Round 1: given the keys the server relayed, share b_u and s_u^SK among me and every enrolled
     * neighbour (Bonawitz et al. count the owner among the holders). Empty when fewer than threshold
     * holders exist: then this participant cannot be recovered and must not go on.
     */
    public List<EncryptedShare> shareKeys(List<EnrollmentKeys> enrolled) {
        for (EnrollmentKeys k : enrolled) {
            if (k.round() == cfg.round() && indexOf.containsKey(k.participant()) && !k.participant().equals(self)) {
                peers.putIfAbsent(k.participant(), k);
            }
        }
        List<String> holders = new ArrayList<>();
        for (int n : neighbours) {
            String name = cfg.roster().get(n);
            if (peers.containsKey(name)) {
                holders.add(name);
            }
        }
        if (holders.size() + 1 < cfg.threshold()) {
            return List.of();
        }
        holders.add(self);
        int[] xs = holders.stream().mapToInt(h -> indexOf.get(h) + 1).toArray();
        List<Share> b = Shamir.split(selfMaskSeed, cfg.threshold(), xs, random);
        List<Share> s = Shamir.split(maskSecret, cfg.threshold(), xs, random);
        int last = holders.size() - 1;
        own = new SharePair(b.get(last), s.get(last));
        List<EncryptedShare> out = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            String to = holders.get(i);
            out.add(ShareCipher.seal(cfg, self, to, pairKey(to), new SharePair(b.get(i), s.get(i)), random));
        }
        return out;
    }

    /** Accepts one relayed share addressed to me from an enrolled neighbour. */
    public Optional<Rejection> receiveShare(EncryptedShare m) {
        if (m.round() != cfg.round()) {
            return Optional.of(Rejection.of(Rejection.Reason.WRONG_ROUND, "share for round " + m.round()));
        }
        Integer from = indexOf.get(m.from());
        if (!self.equals(m.to()) || from == null || !neighbours.contains(from) || !peers.containsKey(m.from())) {
            return Optional.of(Rejection.of(Rejection.Reason.NOT_ENROLLED, "share from " + m.from() + " is not from an enrolled neighbour"));
        }
        if (masked) {
            return Optional.of(Rejection.of(Rejection.Reason.OUT_OF_PHASE, "masked input already sent"));
        }
        if (held.containsKey(m.from())) {
            return Optional.of(Rejection.of(Rejection.Reason.DUPLICATE, "second share from " + m.from()));
        }
        SharePair pair = ShareCipher.open(cfg, m, pairKey(m.from()));
        if (pair == null || pair.selfMask().x() != index + 1) {
            return Optional.of(Rejection.of(Rejection.Reason.MALFORMED, "share from " + m.from() + " does not decrypt to my point"));
        }
        held.put(m.from(), pair);
        return Optional.empty();
    }

    /**
     * Round 2: y = x + PRG(b_u) + sum over neighbours v that completed round 1 of +-PRG(s_uv), mod 2^32.
     * The sign makes each pair's masks cancel: the lower roster index adds, the higher subtracts.
     */
    public MaskedUpdate mask(int[] quantized) {
        if (quantized.length != cfg.vectorLength()) {
            throw new IllegalArgumentException("input has " + quantized.length + " words, task declares " + cfg.vectorLength());
        }
        if (masked) {
            throw new IllegalStateException("masked input already sent this round");
        }
        masked = true;
        int[] y = quantized.clone();
        byte[] salt = cfg.salt();
        MaskStream.addMask(y, selfMaskSeed, salt, MaskStream.SELF, +1);
        for (String v : held.keySet()) {
            byte[] seed = Secp256k1Keys.sharedX(maskSecret, peers.get(v).maskPublicKey());
            MaskStream.addMask(y, seed, salt, MaskStream.PAIRWISE, index < indexOf.get(v) ? +1 : -1);
        }
        return new MaskedUpdate(cfg.round(), self, y);
    }

    /**
     * Round 3: reveal self-mask shares of survivors and mask-key shares of dropped participants.
     * Refuses a request that names someone in both lists, names too few survivors, or comes twice:
     * any of those would let the server strip the masks off one individual input.
     */
    public UnmaskResponse unmask(UnmaskRequest req) {
        if (req.round() != cfg.round() || answered || !masked) {
            throw new IllegalStateException("unmask request out of phase");
        }
        Set<String> survivors = new HashSet<>(req.survivors());
        Set<String> dropped = new HashSet<>(req.dropped());
        if (survivors.size() != req.survivors().size() || dropped.size() != req.dropped().size()) {
            throw new IllegalArgumentException("unmask request lists someone twice");
        }
        for (String d : dropped) {
            if (survivors.contains(d)) {
                throw new IllegalArgumentException("unmask request names " + d + " as both survivor and dropped");
            }
        }
        if (!survivors.contains(self)) {
            throw new IllegalArgumentException("unmask request does not count me as a survivor");
        }
        if (survivors.size() < cfg.threshold()) {
            throw new IllegalArgumentException("only " + survivors.size() + " survivors, threshold is " + cfg.threshold());
        }
        answered = true;
        Map<String, Share> b = new HashMap<>();
        if (own != null) {
            b.put(self, own.selfMask());
        }
        Map<String, Share> s = new HashMap<>();
        for (Map.Entry<String, SharePair> e : held.entrySet()) {
            if (survivors.contains(e.getKey())) {
                b.put(e.getKey(), e.getValue().selfMask());
            } else if (dropped.contains(e.getKey())) {
                s.put(e.getKey(), e.getValue().maskKey());
            }
        }
        return new UnmaskResponse(cfg.round(), self, Map.copyOf(b), Map.copyOf(s));
    }

    private byte[] pairKey(String peer) {
        return pairKeys.computeIfAbsent(peer, p -> ShareCipher.pairKey(cfg, cipherSecret, peers.get(p).cipherPublicKey()));
    }

    public String name() {
        return self;
    }
}
