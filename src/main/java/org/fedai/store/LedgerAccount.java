package org.fedai.store;

/** A wallet-ledger account: a name, the Lightning node id its invoices are signed by, a balance. */
public record LedgerAccount(String name, String nodeId, long balanceMsat) {
}
