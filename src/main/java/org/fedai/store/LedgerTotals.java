package org.fedai.store;

/** The router's books at a glance: what the CLI prints and the announcement's completed-jobs count. */
public record LedgerTotals(long jobs, long metered, long failed, long meteredMsat, long feesVerifiedMsat,
        long openDebts, long openDebtMsat) {

    public String summary() {
        return "jobs=" + jobs + " metered=" + metered + " failed=" + failed + " metered_msat=" + meteredMsat
                + " fees_msat=" + feesVerifiedMsat + " open_debts=" + openDebts + " open_debt_msat=" + openDebtMsat;
    }
}
