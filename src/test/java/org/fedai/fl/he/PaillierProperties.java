package org.fedai.fl.he;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fedai.fl.Rejection;

class PaillierProperties {

    private static final PaillierKeyPair KEYS = TestKeys.K512;
    private static final PaillierPublicKey PK = KEYS.publicKey();

    private static BigInteger below(BigInteger n, long seed) {
        return new BigInteger(n.bitLength() + 8, new Random(seed)).mod(n);
    }

    @Property(tries = 100)
    void decryptionInvertsEncryption(@ForAll long seed) {
        BigInteger m = below(PK.n(), seed);
        BigInteger c = PK.encrypt(m, TestKeys.RANDOM);
        assertThat(PK.isCiphertext(c)).isTrue();
        assertThat(KEYS.privateKey().decrypt(c)).isEqualTo(m);
    }

    @Property(tries = 100)
    void theProductOfCiphertextsDecryptsToTheSumModN(@ForAll long a, @ForAll long b) {
        BigInteger x = below(PK.n(), a);
        BigInteger y = below(PK.n(), b);
        BigInteger c = PK.add(PK.encrypt(x, TestKeys.RANDOM), PK.encrypt(y, TestKeys.RANDOM));
        assertThat(KEYS.privateKey().decrypt(c)).isEqualTo(x.add(y).mod(PK.n()));
    }

    @Property(tries = 50)
    void freshRandomnessGivesDifferentCiphertextsOfTheSamePlaintext(@ForAll long seed) {
        BigInteger m = below(PK.n(), seed);
        BigInteger c1 = PK.encrypt(m, TestKeys.RANDOM);
        BigInteger c2 = PK.encrypt(m, TestKeys.RANDOM);
        assertThat(c1).isNotEqualTo(c2);
        assertThat(KEYS.privateKey().decrypt(c1)).isEqualTo(KEYS.privateKey().decrypt(c2));
    }

    @Property(tries = 60)
    void oneGcdPerUpdateAgreesWithOneGcdPerBlock(@ForAll @IntRange(min = 1, max = 12) int blocks, @ForAll @IntRange(min = 0, max = 5) int poison,
                                                 @ForAll @IntRange(min = 0, max = 11) int where) {
        List<BigInteger> cs = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            cs.add(PK.encrypt(BigInteger.valueOf(b), TestKeys.RANDOM));
        }
        BigInteger bad = switch (poison) {
            case 0 -> null; // all genuine
            case 1 -> KEYS.privateKey().p().multiply(BigInteger.valueOf(3)); // shares the factor p with n
            case 2 -> KEYS.privateKey().q();
            case 3 -> BigInteger.ZERO;
            case 4 -> PK.nSquared();
            default -> BigInteger.ONE.negate();
        };
        if (bad != null) {
            cs.set(where % blocks, bad);
        }
        assertThat(PK.areCiphertexts(cs)).isEqualTo(cs.stream().allMatch(PK::isCiphertext)).isEqualTo(bad == null);
    }

    /** Random vectors of random participants up to the declared N: the key holder's sum is the slotwise integer sum. */
    @Property(tries = 40)
    void packedSumsOfUpToDeclaredNParticipantsDecryptExactly(@ForAll @IntRange(min = 2, max = 12) int declared,
                                                             @ForAll @IntRange(min = 2, max = 12) int participants,
                                                             @ForAll @IntRange(min = 2, max = 24) int bits,
                                                             @ForAll @IntRange(min = 1, max = 200) int length, @ForAll long seed) {
        int count = Math.min(declared, participants);
        HeConfig cfg = config(declared, bits, length, roster(count));
        Random rnd = new Random(seed);
        long max = cfg.packing().maxValue();
        long[] expected = new long[length];
        PaillierAggregator agg = new PaillierAggregator(cfg);
        for (String who : cfg.roster()) {
            long[] v = IntStream.range(0, length).mapToLong(i -> rnd.nextInt(4) == 0 ? max : rnd.nextLong(max + 1)).toArray();
            for (int i = 0; i < length; i++) {
                expected[i] += v[i];
            }
            assertThat(agg.accept(who, PaillierClient.encryptLevels(cfg, v, TestKeys.RANDOM))).isEmpty();
        }
        HeOutcome out = new PaillierKeyHolder(KEYS.privateKey(), cfg).open(agg.sum().orElseThrow());
        assertThat(out).isInstanceOfSatisfying(HeOutcome.Sum.class, s -> {
            assertThat(s.levels()).containsExactly(expected);
            assertThat(s.contributors()).containsExactlyElementsOf(cfg.roster());
        });
    }

    @Property(tries = 20)
    void aContributionBeyondTheDeclaredNIsRefusedWithTheReason(@ForAll @IntRange(min = 2, max = 8) int declared) {
        HeConfig cfg = config(declared, 16, 30, roster(declared + 1));
        PaillierAggregator agg = new PaillierAggregator(cfg);
        for (int k = 0; k < declared; k++) {
            assertThat(agg.accept(cfg.roster().get(k), PaillierClient.encrypt(cfg, new double[30], TestKeys.RANDOM))).isEmpty();
        }
        var refused = agg.accept(cfg.roster().get(declared), PaillierClient.encrypt(cfg, new double[30], TestKeys.RANDOM));
        assertThat(refused).map(Rejection::reason).contains(Rejection.Reason.OVER_CAPACITY);
        assertThat(refused.orElseThrow().detail()).contains("declared N = " + declared).contains("slots hold the sum of at most N");
        assertThat(agg.rejectionCounts()).containsEntry(Rejection.Reason.OVER_CAPACITY, 1);
        assertThat(agg.sum().orElseThrow().contributors()).hasSize(declared);
        // an aggregator that multiplies in the extra ciphertext anyway is refused by the key holder
        EncryptedSum forged = new EncryptedSum(cfg.roster(), agg.sum().orElseThrow().sum());
        assertThat(new PaillierKeyHolder(KEYS.privateKey(), cfg).open(forged)).isInstanceOfSatisfying(HeOutcome.Refused.class,
                r -> assertThat(r.rejection().reason()).isEqualTo(Rejection.Reason.OVER_CAPACITY));
    }

    @Example
    void theKeyHolderOpensOneAggregatePerRoundAndNoneOfFewerThanTheMinimum() {
        HeConfig cfg = config(4, 16, 10, roster(4));
        PaillierKeyHolder holder = new PaillierKeyHolder(KEYS.privateKey(), cfg);
        PackedCiphertext one = PaillierClient.encrypt(cfg, new double[10], TestKeys.RANDOM);
        assertThat(reason(holder.open(new EncryptedSum(List.of("c0"), one)))).isEqualTo(Rejection.Reason.TOO_FEW_CONTRIBUTORS);
        assertThat(reason(holder.open(new EncryptedSum(List.of("c0", "c0"), one)))).isEqualTo(Rejection.Reason.NOT_ENROLLED);
        assertThat(reason(holder.open(new EncryptedSum(List.of("c0", "mallory"), one)))).isEqualTo(Rejection.Reason.NOT_ENROLLED);
        assertThat(reason(holder.open(new EncryptedSum(List.of("c0", "c1"), new PackedCiphertext(9, one.blocks())))))
                .isEqualTo(Rejection.Reason.WRONG_ROUND);
        assertThat(holder.open(new EncryptedSum(List.of("c0", "c1"), one))).isInstanceOf(HeOutcome.Sum.class);
        assertThat(reason(holder.open(new EncryptedSum(List.of("c0", "c1", "c2"), one)))).isEqualTo(Rejection.Reason.DUPLICATE);
    }

    @Example
    void theAggregatorRefusesStrangersReplaysDuplicatesWrongLengthsAndNonCiphertexts() {
        HeConfig cfg = config(4, 16, 10, roster(4));
        PaillierAggregator agg = new PaillierAggregator(cfg);
        PackedCiphertext ok = PaillierClient.encrypt(cfg, new double[10], TestKeys.RANDOM);
        assertThat(agg.accept("mallory", ok)).map(Rejection::reason).contains(Rejection.Reason.NOT_ENROLLED);
        assertThat(agg.accept("c0", new PackedCiphertext(2, ok.blocks()))).map(Rejection::reason).contains(Rejection.Reason.WRONG_ROUND);
        assertThat(agg.accept("c0", ok)).isEmpty();
        assertThat(agg.accept("c0", ok)).map(Rejection::reason).contains(Rejection.Reason.DUPLICATE);
        assertThat(agg.accept("c1", new PackedCiphertext(1, List.of()))).map(Rejection::reason).contains(Rejection.Reason.WRONG_LENGTH);
        // a multiple of p is not a unit mod n^2; multiplying it in would also leak a factor of n at decryption
        PackedCiphertext poison = new PackedCiphertext(1, List.of(KEYS.privateKey().p()));
        assertThat(agg.accept("c2", poison)).map(Rejection::reason).contains(Rejection.Reason.MALFORMED);
        assertThat(agg.accept("c3", new PackedCiphertext(1, List.of(PK.nSquared())))).map(Rejection::reason)
                .contains(Rejection.Reason.MALFORMED);
        assertThat(agg.sum().orElseThrow().contributors()).containsExactly("c0");
    }

    @Example
    void keysAndConfigurationsRefuseNonsense() {
        assertThatThrownBy(() -> PaillierKeyPair.generate(100, TestKeys.RANDOM)).hasMessageContaining("at least 128");
        assertThatThrownBy(() -> new PaillierPublicKey(BigInteger.TEN)).hasMessageContaining("odd");
        assertThatThrownBy(() -> PK.encrypt(PK.n(), TestKeys.RANDOM)).hasMessageContaining("outside Z_n");
        assertThatThrownBy(() -> KEYS.privateKey().decrypt(BigInteger.ZERO)).hasMessageContaining("not a ciphertext");
        assertThatThrownBy(() -> config(1, 16, 10, roster(2))).hasMessageContaining("minContributors");
        assertThat(PaillierKeyPair.generate(256, TestKeys.RANDOM).publicKey().n().bitLength()).isEqualTo(256);
    }

    private static Rejection.Reason reason(HeOutcome o) {
        return ((HeOutcome.Refused) o).rejection().reason();
    }

    static List<String> roster(int n) {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add("c" + i);
        }
        return r;
    }

    static HeConfig config(int declared, int bits, int length, List<String> roster) {
        return new HeConfig(1, PK, roster, 1.0, bits, declared, Math.min(2, declared), length);
    }
}
