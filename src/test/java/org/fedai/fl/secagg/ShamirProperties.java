package org.fedai.fl.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ShamirProperties {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Example
    void fieldIsTheSmallestPrimeAbove2To256() {
        BigInteger two256 = BigInteger.ONE.shiftLeft(256);
        assertThat(Shamir.P.isProbablePrime(128)).isTrue();
        assertThat(two256.nextProbablePrime()).isEqualTo(Shamir.P);
    }

    @Property(tries = 200)
    void anyThresholdSubsetReconstructsTheSecret(@ForAll @Size(32) byte[] secret, @ForAll @IntRange(min = 1, max = 12) int n,
                                                 @ForAll @IntRange(min = 1, max = 12) int tRaw, @ForAll long pickSeed) {
        int t = Math.min(tRaw, n);
        List<Shamir.Share> shares = Shamir.split(secret, t, xs(n), RANDOM);
        List<Shamir.Share> pick = new ArrayList<>(shares);
        Collections.shuffle(pick, new Random(pickSeed));
        assertThat(Shamir.reconstruct(pick.subList(0, t))).isEqualTo(secret);
        assertThat(Shamir.reconstruct(pick)).isEqualTo(secret); // more than t also agree
    }

    @Property(tries = 200)
    void fewerThanThresholdSharesDoNotGiveTheSecret(@ForAll @Size(32) byte[] secret, @ForAll @IntRange(min = 2, max = 12) int n,
                                                   @ForAll long pickSeed) {
        int t = 2 + (int) Math.floorMod(pickSeed, n - 1L);
        List<Shamir.Share> shares = new ArrayList<>(Shamir.split(secret, t, xs(n), RANDOM));
        Collections.shuffle(shares, new Random(pickSeed));
        List<Shamir.Share> tooFew = shares.subList(0, t - 1);
        byte[] guess;
        try {
            guess = Shamir.reconstruct(tooFew);
        } catch (IllegalArgumentException outsideRange) {
            return; // interpolation landed above 2^256: also not the secret
        }
        assertThat(guess).isNotEqualTo(secret);
    }

    @Property(tries = 100)
    void aCorruptedShareSpoilsReconstruction(@ForAll @Size(32) byte[] secret, @ForAll @IntRange(min = 2, max = 8) int t) {
        List<Shamir.Share> shares = new ArrayList<>(Shamir.split(secret, t, xs(t), RANDOM));
        Shamir.Share s = shares.getFirst();
        shares.set(0, new Shamir.Share(s.x(), s.y().add(BigInteger.ONE).mod(Shamir.P)));
        try {
            assertThat(Shamir.reconstruct(shares)).isNotEqualTo(secret);
        } catch (IllegalArgumentException outsideRange) {
            assertThat(outsideRange).hasMessageContaining("256-bit");
        }
    }

    @Example
    void refusesImpossibleParameters() {
        byte[] secret = new byte[32];
        assertThatThrownBy(() -> Shamir.split(secret, 4, xs(3), RANDOM)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> Shamir.split(secret, 1, new int[] {1, 1}, RANDOM)).hasMessageContaining("distinct");
        assertThatThrownBy(() -> Shamir.split(new byte[31], 1, xs(2), RANDOM)).hasMessageContaining("32 bytes");
        List<Shamir.Share> shares = Shamir.split(secret, 2, xs(2), RANDOM);
        assertThatThrownBy(() -> Shamir.reconstruct(List.of(shares.get(0), shares.get(0)))).hasMessageContaining("duplicate");
    }

    @Example
    void allOnesSecretSurvivesTheFieldBoundary() {
        byte[] secret = new byte[32];
        java.util.Arrays.fill(secret, (byte) 0xff);
        assertThat(Shamir.reconstruct(Shamir.split(secret, 3, xs(5), RANDOM).subList(2, 5))).isEqualTo(secret);
    }

    private static int[] xs(int n) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }
}
