package org.fedai.fl.sim;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.fedai.fl.secagg.Quantizer;
import org.fedai.fl.secagg.SecAggConfig;
import org.fedai.fl.secagg.SecAggOutcome;

/** SecAgg+ over the group: 32-bit words mod 2^32, sized so the group's sum never wraps. Every message passes the transport. */
public final class MaskingSum implements SecureSum {

    @Override
    public String name() {
        return "masking";
    }

    @Override
    public Outcome sum(Group g, RoundTransport transport, SecureRandom random) {
        SecAggConfig sc = SecAggConfig.forRoster(g.session(), g.round(), g.members(), g.vectorLength(), g.dropoutFraction(), g.seed());
        Quantizer q = new Quantizer(g.range(), g.members().size());
        Map<String, int[]> inputs = new HashMap<>();
        Set<String> vanish = new HashSet<>(g.vanish());
        for (String p : g.members()) {
            double[] x = g.inputs().get(p);
            if (x == null) {
                inputs.put(p, new int[g.vectorLength()]); // gone before masking: its zero input is never sent
                vanish.add(p);
            } else {
                inputs.put(p, q.encode(x));
            }
        }
        SecAggOutcome out = SecureRound.run(sc, inputs, transport, new SecureRound.Dropouts(vanish, Set.of()), random);
        return switch (out) {
            case SecAggOutcome.Aborted a -> new Outcome.Aborted(a.reason(), transport.messages(), transport.payloadBytes());
            case SecAggOutcome.Sum s -> new Outcome.Sum(q.decodeSum(s.values(), s.contributors().size()), s.contributors(),
                    transport.messages(), transport.payloadBytes());
        };
    }
}
