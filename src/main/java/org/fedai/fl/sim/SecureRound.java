package org.fedai.fl.sim;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.fl.round.SecureRoundDriver;
import org.fedai.fl.secagg.SecAggConfig;
import org.fedai.fl.secagg.SecAggOutcome;

/** One SecAgg+ instance in process, every message passing the transport: {@link SecureRoundDriver} over simulated members. */
public final class SecureRound {

    /** Who vanishes once their shares are out, and who once their masked input is sent. */
    public record Dropouts(Set<String> afterSharing, Set<String> afterMasking) {
        public static final Dropouts NONE = new Dropouts(Set.of(), Set.of());
    }

    private SecureRound() {
    }

    public static SecAggOutcome run(SecAggConfig cfg, Map<String, int[]> inputs, RoundTransport transport,
                                    Dropouts dropouts, SecureRandom random) {
        List<SecureRoundDriver.Group> one = List.of(new SecureRoundDriver.Group("g0", cfg));
        return SecureRoundDriver.sum(cfg.round(), one, new TransportChannel(one, inputs, transport, dropouts, random)).get("g0");
    }
}
