package org.fedai.fl.sim;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.fl.round.SecureRoundDriver;
import org.fedai.fl.secagg.Quantizer;
import org.fedai.fl.secagg.SecAggConfig;
import org.fedai.fl.secagg.SecAggOutcome;

/**
 * SecAgg+ over the groups: 32-bit words mod 2^32, sized so each group's sum never wraps, run by the same
 * {@link SecureRoundDriver} the aggregator role runs, all groups' phases together. Every message passes the transport.
 */
public final class MaskingSum implements SecureSum {

    @Override
    public String name() {
        return "masking";
    }

    @Override
    public Outcome sum(Group g, RoundTransport transport, SecureRandom random) {
        SecAggConfig sc = SecAggConfig.forRoster(g.session(), g.round(), g.members(), g.vectorLength(), g.dropoutFraction(), g.seed());
        long m0 = transport.messages();
        long b0 = transport.payloadBytes();
        Sums s = sumAll(g.round(), List.of(new SecureRoundDriver.Group("g0", sc)), g.inputs(), g.vanish(), g.range(),
                g.dropoutFraction(), transport, random);
        return switch (s.sums().get("g0")) {
            case SecureRoundDriver.GroupSum.Aborted a -> new Outcome.Aborted(a.reason(), s.messages() + m0, s.bytes() + b0);
            case SecureRoundDriver.GroupSum.Summed x -> new Outcome.Sum(x.values(), x.contributors(), s.messages() + m0, s.bytes() + b0);
        };
    }

    @Override
    public Sums sumAll(int round, List<SecureRoundDriver.Group> groups, Map<String, double[]> inputs, Set<String> vanish,
                       double range, double dropoutFraction, RoundTransport transport, SecureRandom random) {
        Map<String, int[]> words = new HashMap<>();
        Set<String> gone = new HashSet<>(vanish);
        for (SecureRoundDriver.Group g : groups) {
            Quantizer q = new Quantizer(range, g.members().size());
            for (String p : g.members()) {
                double[] x = inputs.get(p);
                if (x == null) {
                    words.put(p, new int[g.config().vectorLength()]); // gone before masking: its zero input is never sent
                    gone.add(p);
                } else {
                    words.put(p, q.encode(x));
                }
            }
        }
        long m0 = transport.messages();
        long b0 = transport.payloadBytes();
        TransportChannel channel = new TransportChannel(groups, words, transport, new SecureRound.Dropouts(gone, Set.of()), random);
        Map<String, SecAggOutcome> raw = SecureRoundDriver.sum(round, groups, channel);
        Map<String, SecureRoundDriver.GroupSum> out = SecureRoundDriver.decode(groups, raw, range);
        return new Sums(out, transport.messages() - m0, transport.payloadBytes() - b0);
    }
}
