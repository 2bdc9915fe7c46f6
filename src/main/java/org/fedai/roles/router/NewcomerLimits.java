package org.fedai.roles.router;

import org.fedai.domain.PublicKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.fedai.domain.JobId;
import org.fedai.nostr.Sha256;
import org.fedai.store.NodeStats;

/**
 * What nodes this router has never seen complete a job can cost a client (docs/threat-model.md, "Sybil nodes"):
 * a manifest and heartbeats are free to publish, so eight cheap keys that never accept must not stall a job eight
 * times over. Three rules, applied after the {@link SelectionPolicy} ranked the candidates:
 * <ul>
 *   <li>proven nodes (a metered job here) come first, then fresh ones (never tried), then burnt ones (tried,
 *       never succeeded): a key that timed out once is not tried again while anything else is left;</li>
 *   <li>a fresh node gets a bounded share of traffic: it leads only in an exploration share of jobs (by a hash of
 *       the job id, so a restart decides alike), and never on a failover;</li>
 *   <li>an unproven node has a short {@code accept_by}: an honest node accepts within a relay round trip.</li>
 * </ul>
 * With no proven node (a new market) the order is the policy's, burnt ones last.
 */
record NewcomerLimits(Duration acceptTimeout, long exploreSharePpm) {

    static final NewcomerLimits DEFAULT = new NewcomerLimits(Duration.ofSeconds(3), 100_000);

    NewcomerLimits {
        if (acceptTimeout.isNegative() || acceptTimeout.isZero() || exploreSharePpm < 0 || exploreSharePpm > 1_000_000) {
            throw new IllegalArgumentException("a positive timeout and a share within 0..1e6 ppm");
        }
    }

    static boolean proven(NodeStats s) {
        return s.successes() > 0;
    }

    private static boolean burnt(NodeStats s) {
        return s.successes() == 0 && s.failures() + s.timeouts() + s.nonDeliveries() > 0;
    }

    /** The accept_by window a quote to {@code stats}'s node gets, within the router's own. */
    Duration acceptTimeout(NodeStats stats, Duration routerTimeout) {
        return proven(stats) || routerTimeout.compareTo(acceptTimeout) <= 0 ? routerTimeout : acceptTimeout;
    }

    /** Whether {@code jobId} falls in the share of jobs a fresh node may lead. */
    boolean explores(JobId jobId) {
        byte[] digest = Sha256.hash(("explore:" + jobId).getBytes(StandardCharsets.UTF_8));
        return Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong(), 1_000_000) < exploreSharePpm;
    }

    /** {@code ranked} reordered by the rules above; {@code failover}: a fallback is being chosen. */
    List<SelectionPolicy.Candidate> order(JobId jobId, List<SelectionPolicy.Candidate> ranked,
            Function<PublicKey, NodeStats> stats, boolean failover) {
        List<SelectionPolicy.Candidate> proven = new ArrayList<>();
        List<SelectionPolicy.Candidate> fresh = new ArrayList<>();
        List<SelectionPolicy.Candidate> burnt = new ArrayList<>();
        for (SelectionPolicy.Candidate c : ranked) {
            NodeStats s = stats.apply(c.node().pubkey());
            (proven(s) ? proven : burnt(s) ? burnt : fresh).add(c);
        }
        List<SelectionPolicy.Candidate> out = new ArrayList<>(ranked.size());
        if (!proven.isEmpty() && !fresh.isEmpty() && !failover && explores(jobId)) {
            out.add(fresh.remove(0)); // the share's newcomer leads; a proven node is its fallback
        }
        out.addAll(proven);
        out.addAll(fresh);
        out.addAll(burnt);
        return out;
    }
}
