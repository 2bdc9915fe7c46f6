package org.fedai.roles.router;

import org.fedai.store.RouterJobState;

/**
 * One job as the router saw it, for the demo and the CLI: who asked, which node got it, what it cost, whether
 * payment was verified and under which ledger sequence its metering record was countersigned (0: none yet).
 */
public record RoutedJob(String jobId, String client, String node, long nodePriceMsat, long feeMsat,
        RouterJobState state, boolean paid, long ledgerSeq, int quotes, String detail) {
}
