package org.fedai.roles.router;

import org.fedai.store.RouterJobState;

/**
 * One job as the router saw it, for the demo and the CLI: who asked, which node got it, what it cost, whether
 * payment was verified, how long it took from quote to metering record, and under which ledger sequence its
 * metering record was countersigned (0: none yet). {@code quotes} is 2 or more after a failover.
 */
public record RoutedJob(String jobId, String client, String node, long nodePriceMsat, long feeMsat,
        RouterJobState state, boolean paid, long latencyMs, long ledgerSeq, int quotes, String detail) {
}
