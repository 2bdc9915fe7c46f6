package org.fedai.payment.nwc;

import java.util.List;
import java.util.function.Consumer;

/**
 * The wallet behind a {@link NwcWalletService}: one ledger with an account per connection (the
 * account is the connection's client pubkey). Calls are synchronous and may block (the service runs
 * them off the transport's thread). A refusal is an {@link NwcException#wallet} with the NIP-47 code
 * (INSUFFICIENT_BALANCE, NOT_FOUND, PAYMENT_FAILED...); any other exception is answered as INTERNAL.
 */
public interface WalletBackend {

    /** A settlement the backend saw, to be notified to the account's client. */
    record Settlement(String account, NwcNotification notification) {
    }

    long balanceMsat(String account);

    NwcTransaction makeInvoice(String account, NwcRequest.MakeInvoice request);

    /** Pays; must be idempotent per invoice (paying the same invoice twice is refused, never charged twice). */
    NwcResult.Paid payInvoice(String account, NwcRequest.PayInvoice request);

    NwcTransaction lookupInvoice(String account, NwcRequest.LookupInvoice request);

    List<NwcTransaction> listTransactions(String account, NwcRequest.ListTransactions request);

    NwcTransaction makeHoldInvoice(String account, NwcRequest.MakeHoldInvoice request);

    void settleHoldInvoice(String account, String preimage);

    void cancelHoldInvoice(String account, String paymentHash);

    /** The Lightning node id (33-byte compressed, hex) that signs this account's invoices, for get_info; null if unknown. */
    default String nodeId(String account) {
        return null;
    }

    /** mainnet, testnet, signet or regtest, for get_info. */
    String network();

    /** Registers for settlements (payment received or sent, hold invoice accepted) until closed. */
    AutoCloseable onSettlement(Consumer<Settlement> listener);
}
