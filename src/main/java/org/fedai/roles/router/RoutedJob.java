package org.fedai.roles.router;

import java.util.List;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.store.RouterJobRow;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;

/**
 * One job as the router saw it, for the demo and the CLI: who asked, which node got it, what it cost, whether
 * payment was verified, how long it took from quote to metering record, and under which ledger sequence its
 * metering record was countersigned (0: none yet). {@code quotes} is 2 or more after a failover.
 */
public record RoutedJob(JobId jobId, PublicKey client, PublicKey node, Msat nodePrice, Msat fee,
        RouterJobState state, boolean paid, long latencyMs, long ledgerSeq, int quotes, String detail) {

    /** The job as the ledger has it; null when it was opened but its quote could not be made (counted, never sent). */
    static RoutedJob of(RouterLedger ledger, RouterJobRow job) {
        List<RouterQuoteRow> quotes = ledger.quotesFor(job.jobId());
        if (quotes.isEmpty()) {
            return null;
        }
        RouterQuoteRow q = quotes.get(quotes.size() - 1);
        long seq = ledger.meteringSeq(job.jobId());
        return new RoutedJob(job.jobId(), job.client(), q.node(), q.nodePrice(), q.fee(), job.state(),
                !ledger.verifiedHashes(job.jobId(), PaymentCheck.NODE).isEmpty(), job.latencyMs(), seq,
                quotes.size(), job.detail());
    }
}
