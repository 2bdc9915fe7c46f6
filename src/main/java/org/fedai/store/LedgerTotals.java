package org.fedai.store;

import org.fedai.domain.Msat;

/** The router's books at a glance: what the CLI prints and the announcement's completed-jobs count. */
public record LedgerTotals(long jobs, long metered, long failed, Msat meteredAmount, Msat feesVerified,
        long openDebts, Msat openDebtAmount) {

    public String summary() {
        return "jobs=" + jobs + " metered=" + metered + " failed=" + failed + " metered_msat=" + meteredAmount.value()
                + " fees_msat=" + feesVerified.value() + " open_debts=" + openDebts + " open_debt_msat="
                + openDebtAmount.value();
    }
}
