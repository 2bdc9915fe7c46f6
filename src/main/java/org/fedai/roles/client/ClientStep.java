package org.fedai.roles.client;

import java.util.ArrayList;
import java.util.List;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;

/**
 * A transition of one client job being built: the job changes in place (it is the machine's alone), and the actions
 * are kept as journal writes and effects, so that every write precedes every effect in what {@link #actions()} gives.
 */
final class ClientStep {

    final ClientJob job;
    final long nowMs;
    private final List<ClientAction> journal = new ArrayList<>();
    private final List<ClientAction> effects = new ArrayList<>();

    ClientStep(ClientJob job, long nowMs) {
        this.job = job;
        this.nowMs = nowMs;
    }

    long nowSeconds() {
        return nowMs / 1000;
    }

    void journal(ClientAction.Journal write) {
        journal.add(write);
    }

    void effect(ClientAction effect) {
        if (effect instanceof ClientAction.Journal) {
            throw new IllegalArgumentException("a journal write is not an effect: " + effect);
        }
        effects.add(effect);
    }

    void progress(String step) {
        effect(new ClientAction.Progress(step));
    }

    /** Counts a refusal (or a retry, a recovery) by reason. */
    void count(String reason) {
        effect(new ClientAction.Count(reason));
    }

    /** Journals the job's state as it now is, with its node once quoted. */
    void recordState() {
        journal(new ClientAction.RecordState(job.state, job.quote == null ? null : PublicKey.of(job.quote.node())));
    }

    /** Ends the job unsuccessfully with {@code why}, journaled, once. */
    void fail(String why) {
        if (job.finished()) {
            return;
        }
        job.state = ClientJob.State.FAILED;
        journal(new ClientAction.RecordState(job.state, null));
        effect(new ClientAction.Fail(why));
    }

    /** Ends the job with its result, journaled DONE, once. */
    void complete(String outputType, String output) {
        if (job.finished()) {
            return;
        }
        job.state = ClientJob.State.DONE;
        recordState();
        effect(new ClientAction.Complete(outputType, output));
    }

    /** Pays the router's fee of the job's quote, if it has one (its invoice checked by the caller). */
    void payFee() {
        org.fedai.protocol.Quote q = job.quote;
        if (q.routerFeeMsat() > 0) {
            effect(new ClientAction.Pay(ClientAction.Payee.FEE, q.routerFeeInvoice(), Msat.of(q.routerFeeMsat())));
        }
    }

    /** A payment answered paid: the journal holds it (ClientPayer, or a RecordPayment of this step). */
    void paid(String bolt11, Msat amount) {
        job.paid.putIfAbsent(bolt11, amount);
    }

    List<ClientAction> actions() {
        List<ClientAction> all = new ArrayList<>(journal);
        all.addAll(effects);
        return all;
    }
}
