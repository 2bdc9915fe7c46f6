package org.fedai.roles.node;

import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;
import org.fedai.payment.BackendFailure;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.SpareBinding;
import org.fedai.protocol.Quote;
import org.fedai.roles.common.InFlight;
import org.fedai.roles.node.machine.NodeEvents;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeSpares;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's spare invoices (4402-invoice.md, "Spare invoices"): once it delivered a {@code before}, {@code after} or
 * {@code external} job quoted by a router at a price, the node makes invoices ahead at that price until that router
 * holds {@link #DEPTH} unused (all that are missing at once), and hands each to the router sealed, so that the
 * router's next quote at that price can carry one and the client pays in the hop after the quote (issue 17: 8 relay
 * hops to 5 for pay-before-work over NWC); {@link SparesAhead} asks for them ahead of any job too. After a
 * {@code hold} or {@code atomic} job it makes hold invoices ahead the same way, each for a fresh preimage kept with it
 * (hold 11 hops to 8, atomic 11 to 9). Beside every job's path, never on it: the wallet is asked on a wallet thread,
 * and a wallet that refuses only means the next quote goes the slower way.
 */
final class SpareInvoices {

    private static final Logger LOG = LoggerFactory.getLogger(SpareInvoices.class);
    /** How long a spare stays payable: long enough to wait at the router for the client's next job. */
    static final Duration LIFETIME = Duration.ofHours(1);
    /**
     * Spares a router should hold per price: one for the next job, one for the job after it, since a spare made after
     * a delivery takes three hops to reach the router (make_invoice over NWC, its answer, the 4402) and the client's
     * next spec may come at once.
     */
    static final int DEPTH = 2;
    /** A spare this close to its expiry no longer counts as held: a router would not quote it (RouterSpares). */
    static final Duration MIN_LEFT = Duration.ofMinutes(10);
    /**
     * How long a payment locked in a spare waits for the quote that makes the spare a job's: the quote reaches the
     * node in the hop the client pays in, and is taken only before its accept_by (a router's accept timeout is 15 s by
     * default), so half a minute is past any quote still to be taken, and far within any hold. A quote later than
     * that finds its spare forgotten and is refused; its client's payment has gone back to it.
     */
    static final Duration UNTAKEN_GRACE = Duration.ofSeconds(30);
    /** Unused hold spares looked up after a restart, at most: a node keeps far fewer (two per router, price, kind). */
    private static final int MAX_LOOKUPS = 512;

    private final NodeSpares spares;
    private final PaymentBackend wallet;
    private final NodeEvents events;
    private final NodeOutbox outbox;
    private final Executor walletCalls;
    private final Consumer<Runnable> onState;
    private final InstantSource clock;
    /** Spares asked of the wallet and not yet answered, per router, price and kind: they count as held. */
    private final InFlight<String> making = new InFlight<>();
    private final Supplier<byte[]> freshPreimages;
    /**
     * Payments the wallet reported locked in hold spares that no job has taken (yet), with when the node learnt of
     * each (state thread only): the quote may still be on its way, or it never comes (the node was down, its router
     * gave the job to another node).
     */
    private final Map<String, Long> paidUntaken = new HashMap<>();

    SpareInvoices(NodeSpares spares, PaymentBackend wallet, NodeEvents events, NodeOutbox outbox,
            Executor walletCalls, Consumer<Runnable> onState, InstantSource clock, Supplier<byte[]> freshPreimages) {
        this.freshPreimages = freshPreimages;
        this.spares = spares;
        this.wallet = wallet;
        this.events = events;
        this.outbox = outbox;
        this.walletCalls = walletCalls;
        this.onState = onState;
        this.clock = clock;
    }

    /**
     * The spare a quote from {@code router} carries, if it is one of this node's, handed to that router, at the
     * quoted price, unused, payable, and of the kind the timing pays with (a hold invoice for {@code hold} and
     * {@code atomic}, a plain one otherwise): then it is the job's invoice. Empty for anything else.
     */
    Optional<NodeSpares.Spare> quoted(Quote q, PublicKey router, long now) {
        String hash;
        try {
            hash = Bolt11Codec.decode(q.nodeInvoice()).paymentHashHex();
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
        boolean hold = q.timing().paidIntoHoldSpare();
        return spares.unused(hash).filter(s -> s.router().equals(router) && s.amount().value() == q.nodePriceMsat()
                && s.expiresAt() > now && s.hold() == hold);
    }

    /**
     * On the state thread, once a job {@code router} quoted at {@code price} was delivered: a spare for the next job
     * at that price, a hold invoice if {@code hold}; {@code madeOn} labels the spares made (the job, or the
     * router's announcement for spares made ahead).
     */
    void topUp(PublicKey router, Msat price, JobId madeOn, boolean hold) {
        long now = clock.instant().getEpochSecond();
        String key = router.hex() + ":" + price.value() + ":" + hold;
        // all that are missing at once, each on its own wallet call: refilled one at a time, a client that comes back
        // at once found the router's stock short again and again (a job in seven took 8 hops, not 5)
        long missing = (long) DEPTH - spares.held(router, price, now + MIN_LEFT.toSeconds(), hold)
                - making.count(key);
        for (long i = 0; i < missing; i++) {
            // a hold spare's preimage is drawn here, kept with the spare in the write that hands the spare over:
            // before that nobody holds the invoice, so none can be paid unkept
            byte[] preimage = hold ? freshPreimages.get() : null;
            making.started(key);
            try {
                walletCalls.execute(() -> make(router, price, madeOn, key, preimage));
            } catch (RejectedExecutionException closing) {
                making.ended(key); // the node is stopping: the next delivery after a start asks again
                return;
            }
        }
    }

    /** On the wallet thread: the invoice, then back on the state thread to record and hand it over. */
    private void make(PublicKey router, Msat price, JobId madeOn, String key, byte[] preimage) {
        InvoiceRequest request = InvoiceRequest.spare(price.value(), new SpareBinding(router.hex()),
                LIFETIME.toSeconds());
        InvoiceResult made;
        try {
            made = preimage == null ? wallet.makeInvoice(request)
                    : wallet.makeHoldInvoice(request, Sha256.hash(preimage));
        } catch (RuntimeException e) {
            made = new InvoiceResult.Failed(BackendFailure.BACKEND_ERROR, String.valueOf(e));
        }
        InvoiceResult answer = made;
        onState.accept(() -> {
            try {
                if (answer instanceof InvoiceResult.Created c) {
                    keep(router, price, madeOn, new NodeSpares.Spare(Hex.encode(c.paymentHash()), router, price,
                            c.bolt11(), c.expiresAt(), Optional.ofNullable(preimage).map(Hex::encode)));
                } else {
                    LOG.info("no spare invoice for router {} at {}: {}", router, price, answer);
                }
            } finally {
                making.ended(key);
            }
        });
    }

    /** On the state thread: the wallet reports a payment locked in {@code paymentHash}; an unused spare's is kept. */
    void onHeld(String paymentHash) {
        if (spares.unused(paymentHash).filter(NodeSpares.Spare::hold).isPresent()) {
            paidUntaken.putIfAbsent(paymentHash, clock.instant().getEpochSecond());
        }
    }

    /**
     * On every sweep: a payment locked in a spare that no job took within {@link #UNTAKEN_GRACE} goes back to the
     * client (the hold is cancelled), and the spare is forgotten, so that no late quote can make it a job's. The client
     * paid for a job this node never took on: it ends with its money, not with a payment to a node that did no work.
     */
    void refundUntaken() {
        long now = clock.instant().getEpochSecond();
        paidUntaken.entrySet().removeIf(paid -> {
            String hash = paid.getKey();
            if (spares.unused(hash).isEmpty()) {
                return true; // a job took it: its own rules settle or cancel it
            }
            if (now - paid.getValue() < UNTAKEN_GRACE.toSeconds()) {
                return false;
            }
            spares.forget(hash);
            LOG.warn("spare {} was paid into and no job took it within {}: cancelled, the payment goes back", hash,
                    UNTAKEN_GRACE);
            try {
                walletCalls.execute(() -> wallet.cancel(Hex.decode(hash)));
            } catch (RejectedExecutionException closing) {
                LOG.info("stopping: spare {} is cancelled once its payment is found held after a restart", hash);
            }
            return true;
        });
    }

    /**
     * After a restart, on wallet threads: every unused hold spare the wallet shows paid into, to {@code held} on the
     * state thread (the wallet reported them while the node was down, and does not again).
     */
    void lookUpPaidInto(Consumer<String> held) {
        for (String hash : spares.unusedHold(clock.instant().getEpochSecond(), MAX_LOOKUPS)) {
            try {
                walletCalls.execute(() -> {
                    if (wallet.lookup(Hex.decode(hash)) instanceof LookupResult.Found f
                            && f.state() == InvoiceState.HELD) {
                        onState.accept(() -> held.accept(hash));
                    }
                });
            } catch (RejectedExecutionException closing) {
                return;
            }
        }
    }

    private void keep(PublicKey router, Msat price, JobId madeOn, NodeSpares.Spare spare) {
        long now = clock.instant().getEpochSecond();
        spares.keep(spare, List.of(events.spare(madeOn, router, spare.invoice(), price, spare.hold(), now)));
        outbox.flush();
    }
}
