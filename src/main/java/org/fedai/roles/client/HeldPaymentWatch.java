package org.fedai.roles.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
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
 *
 * <p>A report can come while nobody waits for it: while a lookup is on its way (it was sent before the node settled,
 * so it answers "held" and the job asks to be told again), or before the pay call that made the payment has returned.
 * Such a report is kept for a while and answers the next wait for its hash at once; dropping it would leave the job
 * to its next poll, two relay hops and a poll interval later.
 */
final class HeldPaymentWatch {

    /** Reports no wait has claimed yet: bounded, since a wallet also reports payments no job waits on. */
    private static final int KEPT_REPORTS = 1024;
    private static final Duration KEPT_FOR = Duration.ofHours(1);

    private record Waiting(ClientJob job, ClientAction.LookUpLater asked) {
    }

    private final ClientSteps steps;
    private final ClientPayer payer;
    private final ClientThreads threads;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final Cache<String, PaymentSent> unclaimed = Caffeine.newBuilder().maximumSize(KEPT_REPORTS)
            .expireAfterWrite(KEPT_FOR).build();

    HeldPaymentWatch(ClientSteps steps, ClientPayer payer, ClientThreads threads) {
        this.steps = steps;
        this.payer = payer;
        this.threads = threads;
    }

    void lookUpLater(ClientJob job, ClientAction.LookUpLater asked) {
        String hash = asked.paymentHashHex();
        Waiting w = new Waiting(job, asked);
        PaymentSent reported;
        synchronized (this) {
            reported = unclaimed.asMap().remove(hash);
            if (reported == null) {
                waiting.put(hash, w);
            }
        }
        if (reported != null) {
            threads.after(0, () -> steps.feed(job, settled(asked, reported)));
            return;
        }
        threads.after(DeferredPayment.POLL.toMillis(), () -> {
            if (waiting.remove(hash, w)) {
                steps.feed(job, new ClientInput.LookedUp(asked, payer.lookUp(hash)));
            }
        });
    }

    /** The wallet's report: the payment settled, with the preimage its hash was checked against. */
    void onSent(PaymentSent sent) {
        String hash = Hex.encode(sent.paymentHash());
        Waiting w;
        synchronized (this) {
            w = waiting.remove(hash);
            if (w == null) {
                unclaimed.put(hash, sent);
            }
        }
        if (w != null) {
            steps.feed(w.job(), settled(w.asked(), sent));
        }
    }

    private static ClientInput.LookedUp settled(ClientAction.LookUpLater asked, PaymentSent sent) {
        OptionalLong amount = OptionalLong.of(asked.amount().value());
        return new ClientInput.LookedUp(asked, Optional.of(new LookupResult.Found(sent.paymentHash(), asked.bolt11(),
                InvoiceState.SETTLED, amount, amount, Optional.of(sent.preimage()), asked.expiresAt())));
    }
}
