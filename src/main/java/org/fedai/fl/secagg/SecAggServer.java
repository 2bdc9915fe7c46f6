package org.fedai.fl.secagg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.fedai.fl.Rejection;
import org.fedai.fl.Rejection.Reason;
import org.fedai.fl.secagg.SecAggMessage.EncryptedShare;
import org.fedai.fl.secagg.SecAggMessage.EnrollmentKeys;
import org.fedai.fl.secagg.SecAggMessage.MaskedUpdate;
import org.fedai.fl.secagg.SecAggMessage.UnmaskRequest;
import org.fedai.fl.secagg.SecAggMessage.UnmaskResponse;
import org.fedai.fl.secagg.Shamir.Share;
import org.fedai.nostr.Secp256k1Keys;

/**
 * The aggregator's side of one SecAgg+ instance: a phase machine that relays keys and shares, sums
 * masked inputs and strips the masks with the shares survivors reveal. It learns only the sum.
 * Every refused message comes back as a {@link Rejection} and is counted; none throws.
 */
public final class SecAggServer {

    private enum Phase { ENROLL, SHARE, MASK, UNMASK, DONE }

    /** The scalar 1: multiplying a point by it checks the point is on the curve. */
    private static final byte[] ONE = new byte[32];

    static {
        ONE[31] = 1;
    }

    private final SecAggConfig cfg;
    private final Map<String, Integer> indexOf;
    private final NeighbourGraph graph;
    private final Map<String, EnrollmentKeys> enrolled = new LinkedHashMap<>();
    private final Map<String, List<EncryptedShare>> inbox = new HashMap<>();
    private final Map<String, Boolean> shared = new LinkedHashMap<>();
    private final Map<String, int[]> maskedInputs = new LinkedHashMap<>();
    private final Map<String, UnmaskResponse> responses = new LinkedHashMap<>();
    private final Map<Reason, Integer> rejections = new java.util.EnumMap<>(Reason.class);
    private Phase phase = Phase.ENROLL;
    private UnmaskRequest request;
    private Reveal revealed;

    public SecAggServer(SecAggConfig cfg) {
        this.cfg = cfg;
        this.indexOf = cfg.indexOf();
        this.graph = cfg.graph();
    }

    public Optional<Rejection> acceptEnrollment(EnrollmentKeys k) {
        Optional<Rejection> r = common(k.round(), k.participant(), Phase.ENROLL, enrolled.containsKey(k.participant()));
        if (r.isEmpty() && (!validKey(k.cipherPublicKey()) || !validKey(k.maskPublicKey()))) {
            r = Optional.of(Rejection.of(Reason.MALFORMED, "enrollment keys of " + k.participant() + " are not curve points"));
        }
        if (r.isEmpty()) {
            enrolled.put(k.participant(), k);
        }
        return count(r);
    }

    /** Closes enrollment; the list is what every client receives for round 1. */
    public List<EnrollmentKeys> enrolled() {
        if (phase == Phase.ENROLL) {
            phase = Phase.SHARE;
        }
        return List.copyOf(enrolled.values());
    }

    /** One participant's batch of encrypted shares; routed to recipients only if it is whole. */
    public Optional<Rejection> acceptShares(String from, List<EncryptedShare> shares) {
        Optional<Rejection> r = common(cfg.round(), from, Phase.SHARE, shared.containsKey(from));
        if (r.isEmpty() && !enrolled.containsKey(from)) {
            r = Optional.of(Rejection.of(Reason.NOT_ENROLLED, from + " did not enroll"));
        }
        if (r.isEmpty()) {
            for (EncryptedShare s : shares) {
                if (s.round() != cfg.round() || !from.equals(s.from()) || !enrolled.containsKey(s.to())
                        || !graph.of(indexOf.get(from)).contains(indexOf.get(s.to()))) {
                    r = Optional.of(Rejection.of(Reason.MALFORMED, "share batch of " + from + " has a share for " + s.to()));
                    break;
                }
            }
        }
        if (r.isEmpty() && shares.size() + 1 < cfg.threshold()) { // the owner keeps one share itself
            r = Optional.of(Rejection.of(Reason.MALFORMED, from + " sent " + shares.size() + " shares, threshold is " + cfg.threshold()));
        }
        if (r.isEmpty()) {
            shared.put(from, true);
            for (EncryptedShare s : shares) {
                inbox.computeIfAbsent(s.to(), k -> new ArrayList<>()).add(s);
            }
        }
        return count(r);
    }

    /** Closes round 1 and hands each participant the shares addressed to it. */
    public List<EncryptedShare> sharesFor(String participant) {
        if (phase == Phase.SHARE) {
            phase = Phase.MASK;
        }
        return List.copyOf(inbox.getOrDefault(participant, List.of()));
    }

    public Optional<Rejection> acceptMasked(MaskedUpdate m) {
        if (phase == Phase.SHARE) {
            phase = Phase.MASK;
        }
        Optional<Rejection> r = common(m.round(), m.from(), Phase.MASK, maskedInputs.containsKey(m.from()));
        if (r.isEmpty() && !shared.containsKey(m.from())) {
            r = Optional.of(Rejection.of(Reason.NOT_ENROLLED, m.from() + " did not share keys this round"));
        }
        if (r.isEmpty() && m.masked().length != cfg.vectorLength()) {
            r = Optional.of(Rejection.of(Reason.WRONG_LENGTH, "masked update of " + m.from() + " has "
                    + m.masked().length + " words, expected " + cfg.vectorLength()));
        }
        if (r.isEmpty()) {
            maskedInputs.put(m.from(), m.masked());
        }
        return count(r);
    }

    /** Closes round 2: survivors are those whose masked input arrived, dropped are the rest of round 1. */
    public Optional<UnmaskRequest> unmaskRequest() {
        if (phase == Phase.MASK) {
            phase = Phase.UNMASK;
            List<String> survivors = List.copyOf(maskedInputs.keySet());
            List<String> dropped = shared.keySet().stream().filter(p -> !maskedInputs.containsKey(p)).toList();
            request = new UnmaskRequest(cfg.round(), survivors, dropped);
        }
        if (request == null || request.survivors().size() < cfg.threshold()) {
            phase = Phase.DONE;
            return Optional.empty();
        }
        return Optional.of(request);
    }

    public Optional<Rejection> acceptUnmask(UnmaskResponse u) {
        Optional<Rejection> r = common(u.round(), u.from(), Phase.UNMASK, responses.containsKey(u.from()));
        if (r.isEmpty() && !request.survivors().contains(u.from())) {
            r = Optional.of(Rejection.of(Reason.NOT_ENROLLED, u.from() + " is not a survivor"));
        }
        if (r.isEmpty()) {
            responses.put(u.from(), u);
        }
        return count(r);
    }

    /** Reconstructs the secrets it needs and returns the unmasked sum, or aborts with the reason. */
    public SecAggOutcome finish() {
        if (request == null || request.survivors().size() < cfg.threshold()) {
            phase = Phase.DONE;
            int got = request == null ? maskedInputs.size() : request.survivors().size();
            return new SecAggOutcome.Aborted("only " + got + " masked inputs, threshold is " + cfg.threshold());
        }
        phase = Phase.DONE;
        Map<String, List<Share>> bShares = new HashMap<>();
        Map<String, List<Share>> sShares = new HashMap<>();
        for (UnmaskResponse resp : responses.values()) {
            int holder = indexOf.get(resp.from()) + 1;
            resp.selfMaskShares().forEach((owner, sh) -> {
                if (sh.x() == holder) {
                    bShares.computeIfAbsent(owner, k -> new ArrayList<>()).add(sh);
                }
            });
            resp.maskKeyShares().forEach((owner, sh) -> {
                if (sh.x() == holder) {
                    sShares.computeIfAbsent(owner, k -> new ArrayList<>()).add(sh);
                }
            });
        }
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String u : request.survivors()) {
            List<Share> got = bShares.getOrDefault(u, List.of());
            if (got.size() < cfg.threshold()) {
                return new SecAggOutcome.Aborted("only " + got.size() + " self-mask shares of " + u + ", threshold is " + cfg.threshold());
            }
            try {
                seeds.put(u, Shamir.reconstruct(got.subList(0, cfg.threshold())));
            } catch (IllegalArgumentException corrupted) {
                return new SecAggOutcome.Aborted("self-mask shares of " + u + " are corrupted: " + corrupted.getMessage());
            }
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String u : request.dropped()) {
            List<Share> got = sShares.getOrDefault(u, List.of());
            if (got.size() < cfg.threshold()) {
                return new SecAggOutcome.Aborted("only " + got.size() + " mask-key shares of dropped " + u + ", threshold is " + cfg.threshold());
            }
            try {
                keys.put(u, Shamir.reconstruct(got.subList(0, cfg.threshold())));
            } catch (IllegalArgumentException corrupted) {
                return new SecAggOutcome.Aborted("mask-key shares of " + u + " are corrupted: " + corrupted.getMessage());
            }
        }
        Reveal reveal = new Reveal(request.survivors(), request.dropped(), seeds, keys);
        Map<String, byte[]> maskPublicKeys = new LinkedHashMap<>();
        enrolled.forEach((p, k) -> maskPublicKeys.put(p, k.maskPublicKey()));
        SecAggOutcome out = unmask(cfg, maskPublicKeys, maskedInputs, reveal);
        if (out instanceof SecAggOutcome.Sum) {
            revealed = reveal;
        }
        return out;
    }

    /**
     * What the server reconstructed to unmask: survivors' self-mask seeds and dropped participants' mask keys.
     * It is exactly the server's knowledge beyond the masked inputs, so publishing it lets anyone recompute
     * the sum (public verifiability) while revealing nothing more than the sum: every survivor's input stays
     * hidden by its pairwise masks with other survivors, whose keys are never reconstructed.
     */
    public record Reveal(List<String> survivors, List<String> dropped, Map<String, byte[]> selfMaskSeeds,
                         Map<String, byte[]> maskKeys) {
    }

    /** The secrets behind the last successful {@link #finish()}. */
    public Optional<Reveal> reveal() {
        return Optional.ofNullable(revealed);
    }

    /**
     * The unmasked sum from public material: the survivors' masked inputs and a {@link Reveal}. A revealed
     * mask key must match its owner's enrolled public key, and every survivor needs a masked input and a seed.
     */
    public static SecAggOutcome unmask(SecAggConfig cfg, Map<String, byte[]> maskPublicKeys, Map<String, int[]> maskedInputs,
                                       Reveal reveal) {
        Map<String, Integer> indexOf = cfg.indexOf();
        byte[] salt = cfg.salt();
        List<MaskToRemove> masks = new ArrayList<>();
        List<int[]> inputs = new ArrayList<>();
        for (String u : reveal.survivors()) {
            byte[] seed = reveal.selfMaskSeeds().get(u);
            int[] y = maskedInputs.get(u);
            if (seed == null || y == null || y.length != cfg.vectorLength() || !indexOf.containsKey(u)) {
                return new SecAggOutcome.Aborted("survivor " + u + " lacks a masked input or a self-mask seed");
            }
            inputs.add(y);
            masks.add(new MaskToRemove(MaskStream.hkdf(seed, salt, MaskStream.SELF), -1));
        }
        for (String u : reveal.dropped()) {
            byte[] secret = reveal.maskKeys().get(u);
            if (secret == null || !indexOf.containsKey(u) || !Secp256k1Keys.isValidSecretKey(secret)
                    || !java.util.Arrays.equals(Secp256k1Keys.xOnlyPublicKey(secret), maskPublicKeys.get(u))) {
                return new SecAggOutcome.Aborted("reconstructed mask key of " + u + " does not match its enrollment");
            }
            int ui = indexOf.get(u);
            for (int vi : cfg.graph().of(ui)) {
                String v = cfg.roster().get(vi);
                if (!reveal.survivors().contains(v)) {
                    continue;
                }
                // v masked with +PRG(s_uv) if v sorts first, else -PRG(s_uv); undo exactly that
                byte[] seed = Secp256k1Keys.sharedX(secret, maskPublicKeys.get(v));
                masks.add(new MaskToRemove(MaskStream.hkdf(seed, salt, MaskStream.PAIRWISE), vi < ui ? -1 : +1));
            }
        }
        return new SecAggOutcome.Sum(unmaskedSum(cfg.vectorLength(), inputs, masks), reveal.survivors(), reveal.dropped());
    }

    /** One keystream to take off the sum: its AES key and the sign to apply (the opposite of the one it was added with). */
    private record MaskToRemove(byte[] aesKey, int sign) {
    }

    /** Sum of the masked inputs minus the recovered masks, in independent slices across cores. */
    private static int[] unmaskedSum(int length, List<int[]> inputs, List<MaskToRemove> masks) {
        int[] sum = new int[length];
        int slice = 4 * 4096;
        IntStream.range(0, (sum.length + slice - 1) / slice).parallel().forEach(k -> {
            int from = k * slice;
            int to = Math.min(sum.length, from + slice);
            for (int[] y : inputs) {
                for (int i = from; i < to; i++) {
                    sum[i] += y[i];
                }
            }
            for (MaskToRemove m : masks) {
                MaskStream.addKeystream(sum, from, to, m.aesKey(), m.sign());
            }
        });
        return sum;
    }

    public Map<Reason, Integer> rejectionCounts() {
        return Map.copyOf(rejections);
    }

    private Optional<Rejection> common(int round, String from, Phase expected, boolean seen) {
        if (round != cfg.round()) {
            return Optional.of(Rejection.of(Reason.WRONG_ROUND, "message for round " + round + ", this is round " + cfg.round()));
        }
        if (!indexOf.containsKey(from)) {
            return Optional.of(Rejection.of(Reason.NOT_ENROLLED, from + " is not on the roster"));
        }
        if (seen) {
            return Optional.of(Rejection.of(Reason.DUPLICATE, "second " + expected.name().toLowerCase() + " message from " + from));
        }
        if (phase != expected) {
            return Optional.of(Rejection.of(Reason.OUT_OF_PHASE, expected.name().toLowerCase() + " message in phase " + phase.name().toLowerCase()));
        }
        return Optional.empty();
    }

    private Optional<Rejection> count(Optional<Rejection> r) {
        r.ifPresent(x -> rejections.merge(x.reason(), 1, Integer::sum));
        return r;
    }

    private static boolean validKey(byte[] xOnly) {
        if (xOnly == null || xOnly.length != 32) {
            return false;
        }
        try {
            Secp256k1Keys.sharedX(ONE, xOnly);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

}
