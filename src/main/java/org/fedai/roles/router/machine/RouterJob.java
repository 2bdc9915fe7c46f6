package org.fedai.roles.router.machine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.PublicKey;
import org.fedai.store.RouterJobRow;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;

/**
 * One routed job as its machine sees it: the ledger's rows for it, loaded whole before each input. {@code row} is
 * empty for a job the ledger does not know; {@code quotes} are oldest first, the one in force named by the row;
 * {@code inputReceived}: the node's input_received is among the job's evidence; {@code verifiedHashes}: every
 * payment hash verified for the job (node and fee).
 */
public record RouterJob(JobId jobId, Optional<RouterJobRow> row, List<RouterQuoteRow> quotes,
        Optional<RouterLedger.WorkOrderRow> order, Optional<RouterLedger.Debt> debt, boolean inputReceived,
        Set<String> verifiedHashes) {

    public RouterJob {
        quotes = List.copyOf(quotes);
        verifiedHashes = Set.copyOf(verifiedHashes);
    }

    public static RouterJob unknown(JobId jobId) {
        return new RouterJob(jobId, Optional.empty(), List.of(), Optional.empty(), Optional.empty(), false, Set.of());
    }

    public boolean known() {
        return row.isPresent();
    }

    /** The job's state; QUOTED for a job opened whose quote is not made yet. */
    public RouterJobState state() {
        return row.map(RouterJobRow::state).orElseThrow();
    }

    /** Metered or failed: nothing moves it any more. */
    public boolean ended() {
        return state() == RouterJobState.METERED || state() == RouterJobState.FAILED;
    }

    public PublicKey client() {
        return row.map(RouterJobRow::client).orElseThrow();
    }

    public Optional<RouterQuoteRow> quote(EventId quoteId) {
        return quotes.stream().filter(q -> q.quoteId().equals(quoteId)).findFirst();
    }

    /** The quote in force. */
    public Optional<RouterQuoteRow> activeQuote() {
        return row.flatMap(r -> r.activeQuoteId().flatMap(this::quote));
    }

    public Set<PublicKey> triedNodes() {
        Set<PublicKey> tried = new HashSet<>();
        quotes.forEach(q -> tried.add(q.node()));
        return tried;
    }

    /** The job after {@code write}, as the ledger will hold it. */
    RouterJob apply(RouterAction.Journal write) {
        return switch (write) {
            case RouterAction.OpenJob o -> row.isPresent() ? this : withRow(new RouterJobRow(o.jobId(), o.client(),
                    o.specEventJson(), RouterJobState.QUOTED, Optional.empty(), o.receivedAt(), "", 0));
            case RouterAction.RecordQuote q -> {
                List<RouterQuoteRow> more = new ArrayList<>(quotes);
                more.add(q.quote());
                RouterJobRow r = row.orElseThrow();
                yield new RouterJob(jobId, Optional.of(new RouterJobRow(r.jobId(), r.client(), r.specEventJson(),
                        RouterJobState.QUOTED, Optional.of(q.quote().quoteId()), r.receivedAt(), r.detail(), r.latencyMs())), more,
                        order, debt, inputReceived, verifiedHashes);
            }
            case RouterAction.SetState s -> withState(s.state(), s.detail());
            case RouterAction.RecordWorkOrder w -> new RouterJob(jobId, row, quotes, Optional.of(w.order()),
                    debt.isPresent() ? debt : Optional.ofNullable(w.debt()), inputReceived, verifiedHashes)
                    .withState(RouterJobState.ORDERED, row.orElseThrow().detail());
            case RouterAction.ClearDebt c -> new RouterJob(jobId, row, quotes, order, debt.map(d -> d.open()
                    ? new RouterLedger.Debt(d.jobId(), d.client(), d.amount(), d.createdAt(), c.at()) : d),
                    inputReceived, verifiedHashes);
            case RouterAction.KeepEvidence e -> new RouterJob(jobId, row, quotes, order, debt,
                    inputReceived || e.inputReceipt(), verifiedHashes);
            case RouterAction.RecordFeePayment f -> withVerified(List.of(f.paymentHash()));
            case RouterAction.AppendMetering m -> withState(RouterJobState.METERED, row.orElseThrow().detail());
            case RouterAction.SetLatency l -> {
                RouterJobRow r = row.orElseThrow();
                yield withRow(new RouterJobRow(r.jobId(), r.client(), r.specEventJson(), r.state(), r.activeQuoteId(),
                        r.receivedAt(), r.detail(), l.latencyMs()));
            }
            case RouterAction.SetReceipt r -> this;
        };
    }

    /** The job once {@code hashes} are verified for it too. */
    public RouterJob withVerified(java.util.Collection<String> hashes) {
        Set<String> all = new HashSet<>(verifiedHashes);
        all.addAll(hashes);
        return new RouterJob(jobId, row, quotes, order, debt, inputReceived, all);
    }

    private RouterJob withState(RouterJobState state, String detail) {
        RouterJobRow r = row.orElseThrow();
        return withRow(new RouterJobRow(r.jobId(), r.client(), r.specEventJson(), state, r.activeQuoteId(),
                r.receivedAt(), detail, r.latencyMs()));
    }

    private RouterJob withRow(RouterJobRow r) {
        return new RouterJob(jobId, Optional.of(r), quotes, order, debt, inputReceived, verifiedHashes);
    }

    /** For tests and logs: the spec event JSON is long, so only its id is shown. */
    @Override
    public String toString() {
        return "RouterJob[" + jobId + " " + row.map(r -> r.state() + " quote " + r.activeQuoteId()).orElse("unknown")
                + ", " + quotes.size() + " quotes, order " + order.map(o -> o.authorization().code())
                .orElse("none") + ", debt " + debt.map(d -> d.open() ? "open" : "cleared").orElse("none")
                + (inputReceived ? ", input received" : "") + "]";
    }
}
