package org.fedai.roles.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Hex;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;

/**
 * The client's side of timing {@code partial} (market-flow.md), as transitions: one invoice per part (one per
 * text), each for exactly that part's share of the quoted price, paid only once the previous part was delivered,
 * so the client never pays ahead of the work; each settled part is proved at once (the router's fee with the
 * first). The job is done when every part is delivered and paid.
 */
final class PartialPayment {

    private final ClientContext peers;

    PartialPayment(ClientContext peers) {
        this.peers = peers;
    }

    void onInvoice(ClientStep step, Invoice invoice) {
        ClientJob job = step.job;
        int parts = (int) job.spec.units();
        Optional<Msat> price = invoice.parts() == parts ? Optional.of(Msat.of(PaymentTiming.partPriceMsat(
                job.quote.nodePriceMsat(), parts, invoice.part()))) : Optional.empty();
        Optional<String> problem = price.isEmpty() ? Optional.of("invoice_parts_differ_from_quote")
                : job.partial().invoices.containsKey(invoice.part()) ? Optional.of("duplicate_invoice")
                : InvoiceRules.check(peers, invoice.bolt11(), PublicKey.of(job.quote.node()), price.get(), job.jobId,
                        step.nowSeconds());
        if (problem.isPresent()) {
            step.count(problem.get());
            return;
        }
        job.partial().invoices.put(invoice.part(), invoice);
        advance(step);
    }

    void onPart(ClientStep step, JobResult part) {
        TimingState.Parts state = step.job.partial();
        if (part.parts() != step.job.spec.units() || !JobResult.sha256(part.output()).equals(part.outputSha256())) {
            step.count("result_inconsistent");
            return;
        }
        if (!state.paying.contains(part.part()) || state.outputs.containsKey(part.part())) {
            step.count("unpaid_or_duplicate_part");
            return;
        }
        state.outputs.put(part.part(), part.output());
        state.outputType = part.outputType();
        step.progress("part " + part.part() + " of " + part.parts() + " delivered");
        advance(step);
    }

    /** Pays the next invoice whose previous part is in hand; completes once all parts are in and paid. */
    private void advance(ClientStep step) {
        ClientJob job = step.job;
        TimingState.Parts state = job.partial();
        if (job.finished()) {
            return;
        }
        int parts = (int) job.spec.units();
        if (state.outputs.size() == parts && state.settled.size() == parts) {
            step.complete(state.outputType, combine(state.outputs));
            return;
        }
        for (Map.Entry<Integer, Invoice> e : state.invoices.entrySet()) {
            int part = e.getKey();
            if (!state.paying.contains(part) && (part == 1 || state.outputs.containsKey(part - 1))) {
                state.paying.add(part);
                job.state = ClientJob.State.PAYING;
                payPart(step, part);
            }
        }
    }

    private void payPart(ClientStep step, int part) {
        ClientJob job = step.job;
        Msat price = Msat.of(PaymentTiming.partPriceMsat(job.quote.nodePriceMsat(), (int) job.spec.units(), part));
        step.effect(new ClientAction.Pay(ClientAction.Payee.part(part), job.partial().invoices.get(part).bolt11(),
                price));
    }

    void onRetry(ClientStep step, ClientAction.Payee payee) {
        payPart(step, payee.part());
    }

    void onAnswer(ClientStep step, ClientAction.Pay asked, PayResult result) {
        int part = asked.payee().part();
        if (asked.payee().fee()) {
            prove(step, part, step.job.partial().awaitingFee, DeferredPayment.feeProof(step, asked, result));
            step.job.partial().awaitingFee = null;
            return;
        }
        switch (result) {
            case PayResult.Paid p -> settled(step, part, asked.bolt11(), Hex.encode(p.preimage()), asked.amount());
            case PayResult.Pending p -> step.effect(new ClientAction.LookUpLater(asked.payee(), asked.bolt11(),
                    asked.amount(), Hex.encode(p.paymentHash()),
                    step.job.partial().invoices.get(part).expiresAt()));
            case PayResult.Failed f -> {
                if (!PaymentRetry.later(step, f, asked.payee())) {
                    step.fail("payment of part " + part + " failed: " + f.reason() + " " + f.detail());
                }
            }
        }
    }

    void onLookedUp(ClientStep step, ClientAction.LookUpLater asked, Optional<LookupResult.Found> found) {
        int part = asked.payee().part();
        DeferredPayment.watch(step, asked, found, () -> step.fail("the node cancelled part " + part
                + ": refunded; paid for " + step.job.partial().settled.size() + " parts"))
                .ifPresent(preimage -> settled(step, part, asked.bolt11(), preimage, asked.amount()));
    }

    /** A part's preimage is journaled: the router's fee goes with the first, then the part is proved. */
    private void settled(ClientStep step, int part, String bolt11, String preimage, Msat price) {
        ClientJob job = step.job;
        Quote q = job.quote;
        step.paid(bolt11, price);
        PaymentProof.Paid proof = new PaymentProof.Paid(bolt11, preimage);
        if (!job.partial().feePaid && q.routerFeeMsat() > 0) {
            job.partial().feePaid = true;
            Optional<String> problem = InvoiceRules.feeProblem(peers, step);
            if (problem.isEmpty()) {
                job.partial().awaitingFee = proof;
                step.effect(new ClientAction.Pay(ClientAction.Payee.feeWithPart(part), q.routerFeeInvoice(),
                        Msat.of(q.routerFeeMsat())));
                return;
            }
            step.count("fee_" + problem.get());
        }
        prove(step, part, proof, Optional.empty());
    }

    private void prove(ClientStep step, int part, PaymentProof.Paid proof, Optional<PaymentProof.Paid> fee) {
        List<PaymentProof.Paid> paid = new ArrayList<>();
        paid.add(proof);
        fee.ifPresent(paid::add);
        step.effect(new ClientAction.PublishProof(paid));
        step.job.partial().settled.add(part);
        advance(step);
    }

    /** The parts' outputs as one: JSON arrays (vectors, chunks) merged in order, anything else concatenated. */
    static String combine(java.util.SortedMap<Integer, String> outputs) {
        boolean arrays = outputs.values().stream().allMatch(o -> o.startsWith("[") && o.endsWith("]"));
        if (!arrays) {
            return String.join("", outputs.values());
        }
        StringBuilder out = new StringBuilder("[");
        for (String o : outputs.values()) {
            String inner = o.substring(1, o.length() - 1).strip();
            if (!inner.isEmpty()) {
                out.append(out.length() > 1 ? "," : "").append(inner);
            }
        }
        return out.append(']').toString();
    }
}
