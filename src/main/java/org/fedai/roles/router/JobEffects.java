package org.fedai.roles.router;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.fedai.domain.EventId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.JobBinding;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.FedaiKind;
import org.fedai.roles.common.Counters;
import org.fedai.roles.router.machine.RouterAction;
import org.fedai.roles.router.machine.RouterInput;
import org.fedai.roles.router.machine.Transition;
import org.fedai.store.Outbound;
import org.fedai.store.RouterLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what the router's job machine decided, in the order of its {@link Transition}: every ledger write
 * and the events to publish in one transaction (the outbox), then every effect. This is the one place where
 * "journalled before published" is enforced, and the one place the router's job flow touches its ledger, wallet,
 * relays, clocks and counters.
 */
final class JobEffects {

    private static final Logger LOG = LoggerFactory.getLogger(JobEffects.class);

    /** What the job tells the market (registry, misrepresentation watch, probation, outcome listeners). */
    interface Observer {
        void observe(RouterAction.Observation observation);
    }

    /**
     * What the transition leads to next: the answers to its questions (fee invoice, payment check, metering
     * sequence) as inputs, and the parked metering records to look at again.
     */
    record FollowUps(List<RouterInput> inputs, List<Event> meteringAgain) {
    }

    private final RouterLedger ledger;
    private final PaymentBackend wallet;
    private final PaymentCheck payments;
    private final Consumer<Event> publisher;
    private final AcceptClocks clocks;
    private final Counters refusals;
    private final Counters activity;
    private final RefusalNotices notices;
    private final Observer observer;
    private final AwaitingProof awaitingProof = new AwaitingProof();

    JobEffects(RouterLedger ledger, PaymentBackend wallet, PaymentCheck payments, Consumer<Event> publisher,
            AcceptClocks clocks, Counters refusals, Counters activity, RefusalNotices notices, Observer observer) {
        this.ledger = ledger;
        this.wallet = wallet;
        this.payments = payments;
        this.publisher = publisher;
        this.clocks = clocks;
        this.refusals = refusals;
        this.activity = activity;
        this.notices = notices;
        this.observer = observer;
    }

    FollowUps carryOut(Transition transition, long nowSeconds) {
        List<RouterInput> inputs = new ArrayList<>();
        List<Event> meteringAgain = new ArrayList<>();
        List<RouterAction> actions = transition.actions();
        int effects = 0;
        while (effects < actions.size() && actions.get(effects) instanceof RouterAction.Journal) {
            effects++;
        }
        List<RouterAction> writes = actions.subList(0, effects);
        List<Outbound> outbound = transition.actionsOf(RouterAction.Publish.class).stream().map(p -> Outbound.of(
                EventId.of(p.event().id()), transition.job().jobId(), EventJson.toJson(p.event()))).toList();
        // the writes and the events they publish commit together: after a crash, start() republishes the outbox
        if (!writes.isEmpty() || !outbound.isEmpty()) {
            ledger.atomically(transition.durability(), () -> {
                writes.forEach(w -> journal((RouterAction.Journal) w, inputs));
                if (!outbound.isEmpty()) {
                    ledger.queueOutbound(outbound);
                }
            });
        }
        for (RouterAction action : actions.subList(effects, actions.size())) {
            if (action instanceof RouterAction.Journal) {
                throw new IllegalStateException("a journal write after an effect: " + transition);
            }
            effect(action, inputs, meteringAgain, nowSeconds);
        }
        return new FollowUps(inputs, meteringAgain);
    }

    private void journal(RouterAction.Journal write, List<RouterInput> inputs) {
        switch (write) {
            case RouterAction.OpenJob o -> ledger.openJob(o.jobId(), o.client(), o.specEventJson(), o.receivedAt());
            case RouterAction.RecordQuote q -> ledger.recordQuote(q.quote());
            case RouterAction.SetState s -> ledger.setState(s.jobId(), s.state(), s.detail());
            case RouterAction.RecordWorkOrder w -> ledger.recordWorkOrder(w.order(), w.at(), w.debt(), w.durability());
            case RouterAction.ClearDebt c -> ledger.clearDebt(c.jobId(), c.at());
            case RouterAction.RecordFeePayment f -> ledger.recordPayment(f.paymentHash(), f.jobId(), PaymentCheck.FEE,
                    f.amount(), f.at());
            case RouterAction.KeepEvidence e -> ledger.keepEvidence(e.jobId(), EventId.of(e.event().id()),
                    EventJson.toJson(e.event()), e.durability());
            case RouterAction.AppendMetering m -> inputs.add(new RouterInput.MeteringJournaled(m,
                    ledger.appendMetering(EventId.of(m.recordEvent().id()), m.jobId(), PublicKey.of(m.recordEvent().pubkey()),
                            PublicKey.of(m.record().client()), m.record().units(), Msat.of(m.record().priceMsat()), m.record().paymentHashes(), m.at(),
                            m.durability())));
            case RouterAction.SetLatency l -> ledger.setLatency(l.jobId(), l.latencyMs());
            case RouterAction.SetReceipt r -> ledger.setReceipt(r.recordId(), r.receiptId(), r.durability());
        }
    }

    private void effect(RouterAction action, List<RouterInput> inputs, List<Event> meteringAgain, long nowSeconds) {
        switch (action) {
            case RouterAction.Publish p -> publisher.accept(p.event());
            case RouterAction.MakeFeeInvoice f -> inputs.add(new RouterInput.FeeInvoiced(f, wallet.makeInvoice(
                    InvoiceRequest.forJob(f.fee().value(), new JobBinding(f.plan().jobId().hex()), f.lifetimeSeconds()))));
            case RouterAction.CheckPayment c -> inputs.add(new RouterInput.ProofChecked(c,
                    payments.check(c.proof(), c.quote(), c.settled(), nowSeconds, c.parts())));
            case RouterAction.StartAcceptClock s -> clocks.start(s.jobId(), s.quoteId(), s.delayMs());
            case RouterAction.StopAcceptClock s -> clocks.stop(s.jobId());
            case RouterAction.Refuse r -> refuse(r.kind(), r.reason(), r.event());
            case RouterAction.NotifyRefusal n -> notices.send(n.jobId(), n.client(), n.reason());
            case RouterAction.Count c -> activity.increment(c.key());
            case RouterAction.ParkMetering p -> awaitingProof.park(p.jobId(), p.record());
            case RouterAction.ParkStatus p -> awaitingProof.park(p.jobId(), p.status());
            case RouterAction.ReleaseParked r -> meteringAgain.addAll(awaitingProof.release(r.jobId()));
            case RouterAction.Observation o -> observer.observe(o);
            case RouterAction.Journal j -> throw new IllegalArgumentException("not an effect: " + j);
        }
    }

    /** An event the router will not act on: counted, logged, never fatal. */
    void refuse(FedaiKind kind, String reason, Event event) {
        refusals.count(kind, reason);
        if (event != null) {
            LOG.info("refused {} {} from {}: {}", kind, event.id(), event.pubkey(), reason);
        } else {
            LOG.info("refused {}: {}", kind, reason);
        }
    }
}
