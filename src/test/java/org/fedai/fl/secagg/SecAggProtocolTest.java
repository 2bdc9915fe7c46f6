package org.fedai.fl.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.fedai.fl.Rejection;
import org.fedai.fl.Rejection.Reason;
import org.fedai.fl.secagg.SecAggMessage.EncryptedShare;
import org.fedai.fl.secagg.SecAggMessage.EnrollmentKeys;
import org.fedai.fl.secagg.SecAggMessage.MaskedUpdate;
import org.fedai.fl.secagg.SecAggMessage.UnmaskRequest;
import org.fedai.fl.sim.InProcessTransport;
import org.fedai.fl.sim.SecureRound;
import org.junit.jupiter.api.Test;

class SecAggProtocolTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LENGTH = 64;

    private static List<String> roster(int n) {
        return IntStream.range(0, n).mapToObj(i -> String.format("p%02d", i)).toList();
    }

    private static Map<String, int[]> inputs(List<String> roster) {
        Map<String, int[]> in = new LinkedHashMap<>();
        for (int k = 0; k < roster.size(); k++) {
            int[] x = new int[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                x[i] = 1000 * k + i;
            }
            in.put(roster.get(k), x);
        }
        return in;
    }

    private static int[] sumOf(Map<String, int[]> inputs, Set<String> only) {
        int[] s = new int[LENGTH];
        inputs.forEach((p, x) -> {
            if (only.contains(p)) {
                for (int i = 0; i < LENGTH; i++) {
                    s[i] += x[i];
                }
            }
        });
        return s;
    }

    @Test
    void neighbourhoodsAreLogarithmicAndSymmetric() {
        SecAggConfig cfg = SecAggConfig.forRoster("t", 1, roster(100), LENGTH, 0, 42);
        assertThat(cfg.degree()).isEqualTo(14); // 2*ceil(log2 100)
        assertThat(cfg.threshold()).isEqualTo(8); // majority of 15 holders
        NeighbourGraph g = cfg.graph();
        for (int i = 0; i < 100; i++) {
            assertThat(g.of(i)).hasSize(14).doesNotContain(i);
            for (int j : g.of(i)) {
                assertThat(g.of(j)).contains(i);
            }
        }
        assertThat(SecAggConfig.forRoster("t", 1, roster(100), LENGTH, 0.2, 42).degree())
                .as("a declared dropout rate widens neighbourhoods").isGreaterThan(14);
    }

    @Test
    void dropoutsAfterKeySharingAreRecoveredAndTheSumIsExact() {
        List<String> roster = roster(30);
        SecAggConfig cfg = SecAggConfig.forRoster("t", 3, roster, LENGTH, 0.2, 7);
        Map<String, int[]> in = inputs(roster);
        Set<String> gone = Set.of("p03", "p04", "p11", "p20", "p29", "p17");
        SecAggOutcome out = SecureRound.run(cfg, in, new InProcessTransport(), new SecureRound.Dropouts(gone, Set.of()), RANDOM);
        SecAggOutcome.Sum sum = (SecAggOutcome.Sum) out;
        assertThat(sum.dropped()).containsExactlyInAnyOrderElementsOf(gone);
        Set<String> survivors = new java.util.HashSet<>(roster);
        survivors.removeAll(gone);
        assertThat(sum.contributors()).containsExactlyInAnyOrderElementsOf(survivors);
        assertThat(sum.values()).isEqualTo(sumOf(in, survivors));
    }

    @Test
    void survivorsThatVanishBeforeUnmaskingStillCount() {
        List<String> roster = roster(12);
        SecAggConfig cfg = SecAggConfig.forRoster("t", 1, roster, LENGTH, 0.1, 9);
        Map<String, int[]> in = inputs(roster);
        SecAggOutcome out = SecureRound.run(cfg, in, new InProcessTransport(),
                new SecureRound.Dropouts(Set.of("p01"), Set.of("p05")), RANDOM);
        Set<String> counted = new java.util.HashSet<>(roster);
        counted.remove("p01");
        assertThat(((SecAggOutcome.Sum) out).values()).isEqualTo(sumOf(in, counted));
    }

    @Test
    void abortsCleanlyWhenTooFewSurvive() {
        List<String> roster = roster(6);
        SecAggConfig cfg = SecAggConfig.forRoster("t", 1, roster, LENGTH, 0, 1);
        assertThat(cfg.threshold()).isEqualTo(4); // complete graph: 6 holders, majority 4
        SecAggOutcome out = SecureRound.run(cfg, inputs(roster), new InProcessTransport(),
                new SecureRound.Dropouts(Set.of("p00", "p01", "p02"), Set.of()), RANDOM);
        assertThat(out).isInstanceOf(SecAggOutcome.Aborted.class);
        assertThat(((SecAggOutcome.Aborted) out).reason()).contains("threshold is 4");
    }

    @Test
    void abortsWhenResponsesAreMissingForAReconstruction() {
        List<String> roster = roster(6);
        SecAggConfig cfg = SecAggConfig.forRoster("t", 1, roster, LENGTH, 0, 1);
        // 4 mask, but two of them vanish before answering: 2 responders < threshold 4
        SecAggOutcome out = SecureRound.run(cfg, inputs(roster), new InProcessTransport(),
                new SecureRound.Dropouts(Set.of("p00", "p01"), Set.of("p02", "p03")), RANDOM);
        assertThat(((SecAggOutcome.Aborted) out).reason()).contains("shares of").contains("threshold is 4");
    }

    /** Steps the protocol by hand to feed the server bad messages between the good ones. */
    @Test
    void serverRefusesBadMessagesWithReasonsAndCarriesOn() {
        List<String> roster = roster(5);
        SecAggConfig cfg = SecAggConfig.forRoster("t", 2, roster, LENGTH, 0, 3);
        SecAggServer server = new SecAggServer(cfg);
        Map<String, SecAggClient> clients = new HashMap<>();
        roster.forEach(p -> clients.put(p, new SecAggClient(cfg, p, RANDOM)));
        for (SecAggClient c : clients.values()) {
            assertThat(server.acceptEnrollment(c.advertise())).isEmpty();
        }
        EnrollmentKeys k = clients.get("p00").advertise();
        assertThat(server.acceptEnrollment(k)).map(Rejection::reason).contains(Reason.DUPLICATE);
        assertThat(server.acceptEnrollment(new EnrollmentKeys(2, "mallory", k.cipherPublicKey(), k.maskPublicKey())))
                .map(Rejection::reason).contains(Reason.NOT_ENROLLED);
        assertThat(server.acceptEnrollment(new EnrollmentKeys(1, "p01", k.cipherPublicKey(), k.maskPublicKey())))
                .map(Rejection::reason).contains(Reason.WRONG_ROUND);
        List<EnrollmentKeys> enrolled = server.enrolled();
        for (SecAggClient c : clients.values()) {
            assertThat(server.acceptShares(c.name(), c.shareKeys(enrolled))).isEmpty();
        }
        for (SecAggClient c : clients.values()) {
            for (EncryptedShare s : server.sharesFor(c.name())) {
                EncryptedShare tampered = new EncryptedShare(s.round(), s.from(), s.to(), s.nonce(), flipLastByte(s.ciphertext()));
                assertThat(c.receiveShare(tampered)).map(Rejection::reason).contains(Reason.MALFORMED);
                EncryptedShare redirected = new EncryptedShare(s.round(), s.from(), s.to(), new byte[12], s.ciphertext());
                assertThat(c.receiveShare(redirected)).map(Rejection::reason).contains(Reason.MALFORMED);
                assertThat(c.receiveShare(s)).isEmpty();
                assertThat(c.receiveShare(s)).map(Rejection::reason).contains(Reason.DUPLICATE);
            }
        }
        Map<String, int[]> in = inputs(roster);
        List<MaskedUpdate> masked = new ArrayList<>();
        for (SecAggClient c : clients.values()) {
            MaskedUpdate m = c.mask(in.get(c.name()));
            masked.add(m);
            assertThat(server.acceptMasked(m)).isEmpty();
        }
        MaskedUpdate first = masked.getFirst();
        assertThat(server.acceptMasked(first)).map(Rejection::reason).contains(Reason.DUPLICATE);
        assertThat(server.acceptMasked(new MaskedUpdate(1, first.from(), first.masked()))).map(Rejection::reason).contains(Reason.WRONG_ROUND);
        assertThat(server.acceptMasked(new MaskedUpdate(2, "mallory", first.masked()))).map(Rejection::reason).contains(Reason.NOT_ENROLLED);
        assertThat(new SecAggServer(cfg).acceptMasked(new MaskedUpdate(2, "p00", new int[LENGTH])))
                .map(Rejection::reason).contains(Reason.OUT_OF_PHASE); // nobody has enrolled there yet
        UnmaskRequest req = server.unmaskRequest().orElseThrow();
        for (SecAggClient c : clients.values()) {
            assertThat(server.acceptUnmask(c.unmask(req))).isEmpty();
        }
        SecAggOutcome out = server.finish();
        assertThat(((SecAggOutcome.Sum) out).values()).isEqualTo(sumOf(in, Set.copyOf(roster)));
        assertThat(server.rejectionCounts()).containsEntry(Reason.DUPLICATE, 2).containsEntry(Reason.WRONG_ROUND, 2)
                .containsEntry(Reason.NOT_ENROLLED, 2);
    }

    @Test
    void wrongLengthMaskedUpdateIsRefused() {
        List<String> roster = roster(3);
        SecAggConfig cfg = SecAggConfig.forRoster("t", 1, roster, LENGTH, 0, 3);
        SecAggServer server = new SecAggServer(cfg);
        List<SecAggClient> clients = roster.stream().map(p -> new SecAggClient(cfg, p, RANDOM)).toList();
        clients.forEach(c -> server.acceptEnrollment(c.advertise()));
        List<EnrollmentKeys> enrolled = server.enrolled();
        clients.stream().limit(2).forEach(c -> server.acceptShares(c.name(), c.shareKeys(enrolled)));
        server.sharesFor("p00");
        assertThat(server.acceptMasked(new MaskedUpdate(1, "p00", new int[LENGTH - 1])))
                .map(Rejection::reason).contains(Reason.WRONG_LENGTH);
        assertThat(server.acceptMasked(new MaskedUpdate(1, "p02", new int[LENGTH])))
                .map(Rejection::reason).contains(Reason.NOT_ENROLLED); // enrolled but never shared keys
        assertThatThrownBy(() -> clients.getFirst().mask(new int[LENGTH + 1])).hasMessageContaining("task declares");
    }

    @Test
    void clientRefusesAnUnmaskRequestThatWouldExposeOneInput() {
        List<String> roster = roster(5);
        SecAggConfig cfg = SecAggConfig.forRoster("t", 1, roster, LENGTH, 0, 5);
        List<SecAggClient> clients = roster.stream().map(p -> new SecAggClient(cfg, p, RANDOM)).toList();
        SecAggServer server = new SecAggServer(cfg);
        clients.forEach(c -> server.acceptEnrollment(c.advertise()));
        List<EnrollmentKeys> enrolled = server.enrolled();
        clients.forEach(c -> server.acceptShares(c.name(), c.shareKeys(enrolled)));
        clients.forEach(c -> server.sharesFor(c.name()).forEach(c::receiveShare));
        SecAggClient c = clients.getFirst();
        c.mask(new int[LENGTH]);
        List<String> all = List.copyOf(roster);
        assertThatThrownBy(() -> c.unmask(new UnmaskRequest(1, all, List.of("p02"))))
                .hasMessageContaining("both survivor and dropped");
        assertThatThrownBy(() -> c.unmask(new UnmaskRequest(1, List.of("p00", "p01"), List.of("p02", "p03", "p04"))))
                .hasMessageContaining("threshold");
        assertThat(c.unmask(new UnmaskRequest(1, all, List.of())).maskKeyShares()).isEmpty();
        assertThatThrownBy(() -> c.unmask(new UnmaskRequest(1, all, List.of()))).hasMessageContaining("out of phase");
    }

    private static byte[] flipLastByte(byte[] b) {
        byte[] c = b.clone();
        c[c.length - 1] ^= 1;
        return c;
    }
}
