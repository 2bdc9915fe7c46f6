package org.fedai.store;

import java.util.Optional;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;

/**
 * The spare invoices a router holds (4402-invoice.md, "Spare invoices"): its nodes' (handed over sealed), and its own
 * for its fee, each made before its job, each put in at most one quote. In the router ledger's file and lock; a spare
 * is taken for a job in one write that names the job, so a restart never quotes it twice.
 */
public final class RouterSpares {

    /**
     * One spare: whose invoice it is ({@code owner}: the node, or the router itself for a fee), and its terms;
     * {@code hold}: a node's hold invoice, for {@code hold} and {@code atomic} jobs.
     */
    public record Spare(String paymentHash, PublicKey owner, Msat amount, String bolt11, long expiresAt, boolean hold) {
    }

    private final RouterLedger ledger;

    RouterSpares(RouterLedger ledger) {
        this.ledger = ledger;
    }

    /** Keeps a spare; false when it was kept already (a 4402 delivered twice). */
    public boolean keep(Spare spare) {
        synchronized (ledger) {
            return ledger.update("INSERT OR IGNORE INTO spares (payment_hash, owner, amount_msat, bolt11, expires_at,"
                    + " hold) VALUES (?, ?, ?, ?, ?, ?)", spare.paymentHash(), spare.owner().hex(),
                    spare.amount().value(), spare.bolt11(), spare.expiresAt(), spare.hold() ? 1 : 0) == 1;
        }
    }

    /**
     * Takes {@code owner}'s spare at {@code amount} of the kind asked ({@code hold} or plain) that stays payable past
     * {@code payableAt} for {@code job}, the one nearest its expiry first; empty when there is none.
     */
    public Optional<Spare> take(PublicKey owner, Msat amount, boolean hold, long payableAt, JobId job) {
        synchronized (ledger) {
            Optional<Spare> found = ledger.queryOne("SELECT payment_hash, owner, amount_msat, bolt11, expires_at, hold"
                    + " FROM spares WHERE owner = ? AND amount_msat = ? AND hold = ? AND expires_at > ?"
                    + " AND job_id IS NULL ORDER BY expires_at LIMIT 1", rs -> new Spare(rs.getString(1),
                    PublicKey.of(rs.getString(2)), Msat.of(rs.getLong(3)), rs.getString(4), rs.getLong(5),
                    rs.getInt(6) != 0), owner.hex(), amount.value(), hold ? 1 : 0, payableAt);
            found.ifPresent(s -> ledger.update("UPDATE spares SET job_id = ? WHERE payment_hash = ?", job.hex(),
                    s.paymentHash()));
            return found;
        }
    }

    /**
     * How many spares of the kind asked ({@code hold} or plain) {@code owner} has at {@code amount}, not taken and
     * payable past {@code payableAt}.
     */
    public long held(PublicKey owner, Msat amount, boolean hold, long payableAt) {
        synchronized (ledger) {
            return ledger.count("SELECT count(*) FROM spares WHERE owner = ? AND amount_msat = ? AND hold = ?"
                    + " AND expires_at > ? AND job_id IS NULL", owner.hex(), amount.value(), hold ? 1 : 0, payableAt);
        }
    }

    /** Forgets spares expired before {@code cutoff}: none can be quoted, and a taken one is its quote's. */
    public int prune(long cutoff) {
        synchronized (ledger) {
            return ledger.update("DELETE FROM spares WHERE expires_at < ?", cutoff);
        }
    }
}
