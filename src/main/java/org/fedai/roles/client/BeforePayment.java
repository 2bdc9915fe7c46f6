package org.fedai.roles.client;

import java.util.List;
import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.nostr.Hex;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;

/**
 * The client's side of timing {@code before} once the node's invoice is checked, as transitions: PAYING journaled
 * before the wallet is asked, the router's fee first, then the node's price (each through {@link ClientPayer},
 * journaled before the wallet sees it), a wallet that gives no answer asked again under the deadline
 * ({@link PaymentRetry}), then PAID journaled and the proof sent. A quote that says {@code run_on_payment} has both
 * paid at once (the node runs on its own wallet's settlement, so the fee must not stand before it); the result may
 * then arrive before the fee's answer, and the proof still follows it. Its node invoice is the node's hold spare,
 * which the node settles as the work starts: the pay call is answered only then (a wallet that says "held" is
 * watched), so the result is handed over once the fee is answered, and the node's preimage is proved when it comes.
 * A quote that carries the node's hold spare without {@code run_on_payment} (a client without fee credit) is paid at
 * once too, and the fee proved alone as soon as it is answered: the router orders the node on that proof.
 */
final class BeforePayment {

    private final ClientContext peers;

    BeforePayment(ClientContext peers) {
        this.peers = peers;
    }

    /**
     * A failover quote while the payment into the first node's spare is only locked (QuoteRules#lockedInSpare): that
     * node never gets the router's order, so never settles it, and it goes back to the client (cancelled, or when the
     * hold times out); the job starts its payments again for the new quote. Answers about the first node's invoice
     * that come later are only watched (onAnswer, onLookedUp).
     */
    void failOver(ClientStep step) {
        ClientJob job = step.job;
        TimingState.Before b = job.before();
        step.progress("failover: " + job.quote.nodePriceMsat() + " msat locked in the first node's spare goes back,"
                + " as that node never gets the order");
        job.invoicePaid = false;
        b.nodeInvoice = null; // until the next node's is checked, every answer about the first one's is stale
        b.paid.clear();
        b.feePaid = false;
        b.feeGivenUp = false;
    }

    /** An answer about an invoice the job no longer pays (the first node's, or its fee, before a failover). */
    private static boolean stale(ClientJob job, String bolt11) {
        TimingState.Before b = job.before();
        return !bolt11.equals(b.nodeInvoice) && !bolt11.equals(job.quote.routerFeeInvoice());
    }

    void onCheckedInvoice(ClientStep step, Invoice invoice) {
        ClientJob job = step.job;
        job.invoicePaid = true;
        job.state = ClientJob.State.PAYING;
        step.recordState(); // before the wallet is asked: a restart looks the payment up instead of forgetting it
        step.progress("invoice checked: " + invoice.amountMsat() + " msat to the node's declared key");
        job.before().nodeInvoice = invoice.bolt11();
        pay(step);
    }

    /** The payment sequence, from its start: what an earlier attempt paid is found in the journal, not paid again. */
    void pay(ClientStep step) {
        ClientJob job = step.job;
        Quote q = job.quote;
        job.before().paid.clear();
        Optional<String> problem = q.routerFeeMsat() > 0 ? InvoiceRules.feeProblem(peers, step) : Optional.empty();
        if (problem.isPresent()) {
            step.fail("payment failed: router fee: " + problem.get()); // before anything is paid
            return;
        }
        if (paidTogether(step.job)) {
            payNode(step); // the node first: on its settlement (or its hold spare's, on the order) the work starts
            step.payFee();
        } else if (q.routerFeeMsat() > 0) {
            // the fee first: a fee the client cannot pay is found out before the node is paid, so a failure here
            // strands nothing (paid the other way round, the node kept its price and the job was never ordered)
            step.payFee();
        } else {
            payNode(step);
        }
    }

    /**
     * The whole result of a before job: false when it is the client's now. Under run_on_payment it can come before
     * the wallet's answers (the node runs on its own wallet's report of the same payment): it is kept until the
     * router's fee is answered (true is returned), so that a fee the client cannot pay is found out before the job
     * ends; the node's own answer is proved when it comes.
     */
    boolean holdsResult(ClientStep step, String outputType, String output) {
        ClientJob job = step.job;
        TimingState.Before b = job.before();
        if (!paidTogether(job) || job.state != ClientJob.State.PAYING) {
            return false;
        }
        if (feeIn(job)) {
            // the node runs only on its payment (settled, or locked in its hold spare and settled as the work starts):
            // the result is the client's, and the pay call's answer, which for a hold spare comes only once the node
            // settled, is proved beside it rather than waited for
            nodePaidByItsResult(step);
            return false;
        }
        b.delivered = output;
        b.deliveredType = outputType;
        step.progress("result in; the wallet's answers still to come");
        return true;
    }

    /**
     * The node's price and the router's fee are paid at once: the node runs on the client's payment as it comes, not
     * on the router's check of it, under run_on_payment (its wallet's settlement), or paid into its hold spare, which
     * it settles as the work starts, on the router's order (a fee that then fails orders nothing, and the locked
     * payment goes back). Either way the result can come before the wallet's answer about the node's payment, and the
     * node's preimage is proved after it.
     */
    private static boolean paidTogether(ClientJob job) {
        return job.quote.runOnPayment() || intoHoldSpare(job);
    }

    /** The node's invoice this job pays is the hold spare its quote carried (before: always a hold invoice). */
    private static boolean intoHoldSpare(ClientJob job) {
        return !job.quote.nodeInvoice().isEmpty() && job.quote.nodeInvoice().equals(job.before().nodeInvoice);
    }

    /** The router's fee is paid, given up, or there is none. */
    private static boolean feeIn(ClientJob job) {
        TimingState.Before b = job.before();
        return job.quote.routerFeeMsat() == 0 || b.feePaid || b.feeGivenUp;
    }

    /**
     * The wallet's look at the node's held payment: settled (the node started the work), its preimage proved as a
     * pay call's would be; cancelled (the node did not take the job on), the money is back and the job fails.
     */
    void onLookedUp(ClientStep step, ClientAction.LookUpLater asked, Optional<LookupResult.Found> found) {
        if (stale(step.job, asked.bolt11())) {
            // the first node's, after a failover: its preimage would be journaled (the router never ordered that
            // node, so it should never come); its refund ends the watch
            DeferredPayment.watch(step, asked, found, () -> step.progress("the first node's payment went back"))
                    .ifPresent(preimage -> step.count("paid_node_given_up"));
            return;
        }
        DeferredPayment.watch(step, asked, found, () -> {
            if (step.job.finished()) {
                step.job.proofOwed = false;
                step.progress("the node's held payment went back: refunded");
            } else {
                step.fail("the node cancelled the held payment: refunded");
            }
        }).ifPresent(preimage -> onAnswer(step, new ClientAction.Pay(asked.payee(), asked.bolt11(), asked.amount()),
                new PayResult.Paid(Hex.decode(asked.paymentHashHex()), Hex.decode(preimage), asked.amount().value())));
    }

    private static void handOver(ClientStep step) {
        TimingState.Before b = step.job.before();
        if (b.delivered != null && !step.job.finished()) {
            nodePaidByItsResult(step);
            step.complete(b.deliveredType, b.delivered);
        }
    }

    /**
     * A run-on-payment result is in: the node ran only on the client's payment, so that payment is the node's (or
     * locked to it and being settled), counted as paid; its proof, if the wallet has not answered yet, is owed.
     */
    private static void nodePaidByItsResult(ClientStep step) {
        ClientJob job = step.job;
        step.paid(job.before().nodeInvoice, Msat.of(job.quote.nodePriceMsat()));
        job.proofOwed = job.before().paid.size() < (job.quote.routerFeeMsat() > 0 && !job.before().feeGivenUp ? 2 : 1);
    }

    private void payNode(ClientStep step) {
        step.effect(new ClientAction.Pay(ClientAction.Payee.NODE, step.job.before().nodeInvoice,
                Msat.of(step.job.quote.nodePriceMsat())));
    }

    void onAnswer(ClientStep step, ClientAction.Pay asked, PayResult result) {
        ClientJob job = step.job;
        if (stale(job, asked.bolt11())) {
            if (result instanceof PayResult.Pending p && !asked.payee().fee()) {
                step.effect(new ClientAction.LookUpLater(asked.payee(), asked.bolt11(), asked.amount(),
                        Hex.encode(p.paymentHash()), job.quote.deliverBy())); // watched until it goes back
            }
            return; // paid (journaled by the payer) or refused: for an invoice this job no longer pays
        }
        if (result instanceof PayResult.Paid) {
            step.paid(asked.bolt11(), asked.amount());
        }
        boolean together = paidTogether(job);
        // ended on its deadline meanwhile: nothing more is paid for it; but a job whose result came before the
        // wallet's answers still owes the router its proof (a hold spare's payment, only locked so far, is watched
        // until the node settles it)
        if (job.finished() && !(together && job.state == ClientJob.State.DONE
                && !(result instanceof PayResult.Failed))) {
            job.proofOwed = false; // nothing to prove (the journal keeps what was paid)
            return;
        }
        switch (result) {
            case PayResult.Paid p -> {
                PaymentProof.Paid proof = new PaymentProof.Paid(asked.bolt11(), Hex.encode(p.preimage()));
                if (!job.before().paid.contains(proof)) {
                    job.before().paid.add(proof);
                }
                if (!together && asked.payee().fee()) {
                    payNode(step);
                    return;
                }
                job.before().feePaid |= asked.payee().fee();
                if (job.before().paid.size() < (job.quote.routerFeeMsat() > 0 ? 2 : 1)) {
                    if (asked.payee().fee() && !job.quote.runOnPayment()) {
                        // proved alone, at once: the router orders the node on it, and the node settles the payment
                        // locked in its spare only on that order (RouterTiming#ordersSpareOnFeeProof)
                        step.effect(new ClientAction.SendProof(List.of(proof)));
                    }
                    if (feeIn(job)) {
                        handOver(step); // a result that came while the fee's answer was awaited
                    }
                    return; // paid together: the other answer is still to come
                }
                if (!job.finished()) {
                    job.state = ClientJob.State.PAID;
                    step.recordState();
                }
                step.progress("paid " + job.paidMsat() + " peer to peer and journaled; proving it to the router");
                step.effect(new ClientAction.SendProof(List.copyOf(job.before().paid)));
                job.proofOwed = false; // sent: the effect keeps the client open until a relay took it
                handOver(step);
            }
            case PayResult.Pending p when together && !asked.payee().fee() -> {
                // the quote's spare is a hold invoice: locked until the node settles it as the work starts, and back
                // to the client if it never does; the wallet's report of the settlement answers the watch at once
                step.progress(Msat.of(p.amountMsat()) + " locked in the node's hold spare until it starts the work");
                step.effect(new ClientAction.LookUpLater(asked.payee(), asked.bolt11(), asked.amount(),
                        Hex.encode(p.paymentHash()), job.quote.deliverBy()));
                if (feeIn(job)) {
                    handOver(step);
                }
            }
            case PayResult.Pending p -> {
                // in flight (a slow route, or the wallet's answer lost): its record is asked again, never paid twice
                if (PaymentRetry.later(step, ClientAction.Payee.NODE)) {
                    step.progress("payment in flight: asking the wallet again");
                } else {
                    step.fail("payment failed: still in flight at deliver_by");
                }
            }
            case PayResult.Failed f -> {
                if (PaymentRetry.later(step, f, ClientAction.Payee.NODE)) {
                    step.progress("the wallet gave no answer (" + f.reason() + "): asking again");
                } else if (together && asked.payee().fee() && job.paid.containsKey(job.before().nodeInvoice)) {
                    // the node is paid and runs on it: the result is the client's; the unpaid fee stays out of its
                    // credit with the router (4401-quote.md), and nothing fails
                    step.progress("router fee not paid (" + f + "); the node was paid and runs");
                    job.before().feeGivenUp = true;
                    handOver(step);
                } else {
                    step.fail("payment failed: " + f);
                }
            }
        }
    }
}
