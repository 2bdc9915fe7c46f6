package org.fedai.roles.client;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.nostr.Hex;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PaymentSent;
import org.fedai.store.InvoiceState;

/**
 * The held payments a client waits on (hold, atomic, partial: paid, but settled only once the node has delivered).
 * Each is looked up after {@link DeferredPayment#POLL}, or at once when the wallet reports it settled (NIP-47
 * {@code payment_sent}, which carries the preimage), whichever comes first, and answered exactly once: over NWC a
 * lookup is two relay hops, and the report saves both and the wait before them.
 */
final class HeldPaymentWatch {

    private record Waiting(ClientJob job, ClientAction.LookUpLater asked) {
    }

    private final ClientSteps steps;
    private final ClientPayer payer;
    private final ClientThreads threads;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    HeldPaymentWatch(ClientSteps steps, ClientPayer payer, ClientThreads threads) {
        this.steps = steps;
        this.payer = payer;
        this.threads = threads;
    }

    void lookUpLater(ClientJob job, ClientAction.LookUpLater asked) {
        Waiting w = new Waiting(job, asked);
        waiting.put(asked.paymentHashHex(), w);
        threads.after(DeferredPayment.POLL.toMillis(), () -> {
            if (waiting.remove(asked.paymentHashHex(), w)) {
                steps.feed(job, new ClientInput.LookedUp(asked, payer.lookUp(asked.paymentHashHex())));
            }
        });
    }

    /** The wallet's report: the payment settled, with the preimage its hash was checked against. */
    void onSent(PaymentSent sent) {
        Waiting w = waiting.remove(Hex.encode(sent.paymentHash()));
        if (w != null) {
            ClientAction.LookUpLater asked = w.asked();
            OptionalLong amount = OptionalLong.of(asked.amount().value());
            steps.feed(w.job(), new ClientInput.LookedUp(asked, Optional.of(new LookupResult.Found(sent.paymentHash(),
                    asked.bolt11(), InvoiceState.SETTLED, amount, amount, Optional.of(sent.preimage()),
                    asked.expiresAt()))));
        }
    }
}
