package org.fedai.roles.router.machine;

import java.util.ArrayList;
import java.util.List;
import org.fedai.protocol.FedaiKind;
import org.fedai.store.Durability;

/**
 * A transition being built: journal writes (applied to the job as they are added, so later decisions see them)
 * and effects, kept apart so that every write precedes every effect in the {@link Transition}.
 */
final class Step {

    private RouterJob job;
    private final List<RouterAction> journal = new ArrayList<>();
    private final List<RouterAction> effects = new ArrayList<>();
    private boolean synced;

    Step(RouterJob job) {
        this.job = job;
    }

    RouterJob job() {
        return job;
    }

    void journal(RouterAction.Journal write) {
        journal.add(write);
        synced |= durability(write) == Durability.SYNCED;
        job = job.apply(write);
    }

    /**
     * A fact an effect already made durable (the payment check records the hashes it verified with their spend):
     * the job is updated without a second write.
     */
    void learn(java.util.function.UnaryOperator<RouterJob> fact) {
        job = fact.apply(job);
    }

    void effect(RouterAction effect) {
        if (effect instanceof RouterAction.Journal) {
            throw new IllegalArgumentException("a journal write is not an effect: " + effect);
        }
        effects.add(effect);
    }

    void refuse(FedaiKind kind, String reason, org.fedai.nostr.Event event) {
        effect(new RouterAction.Refuse(kind, reason, event));
    }

    void count(String key) {
        effect(new RouterAction.Count(key));
    }

    Transition transition() {
        List<RouterAction> all = new ArrayList<>(journal);
        all.addAll(effects);
        return new Transition(job, all, synced ? Durability.SYNCED : Durability.RELAXED);
    }

    /** As the ledger wrote each before transitions were committed whole: money and failures synced, the rest not. */
    private static Durability durability(RouterAction.Journal write) {
        return switch (write) {
            case RouterAction.OpenJob o -> Durability.RELAXED; // nothing is published before its quote
            case RouterAction.RecordQuote q -> RouterTiming.of(q.quote().timing()).durability();
            case RouterAction.SetState s -> Durability.SYNCED;
            case RouterAction.RecordWorkOrder w -> w.durability();
            case RouterAction.ClearDebt c -> Durability.SYNCED;
            case RouterAction.RecordFeePayment f -> Durability.SYNCED; // money
            case RouterAction.KeepEvidence e -> e.durability();
            case RouterAction.AppendMetering m -> m.durability();
            case RouterAction.SetLatency l -> Durability.RELAXED; // statistics
            case RouterAction.SetReceipt r -> r.durability();
        };
    }
}
