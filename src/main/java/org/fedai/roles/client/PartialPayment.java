package org.fedai.roles.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Hex;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.PaymentProof;
import org.fedai.protocol.Quote;

/**
 * The client's side of timing {@code partial} (market-flow.md): one invoice per part (one per text), each for
 * exactly that part's share of the quoted price, paid only once the previous part was delivered, so the client
 * never pays ahead of the work; each settled part is proved at once (the router's fee with the first). The job is
 * done when every part is delivered and paid. Called under the job's monitor from ClientRole.
 */
final class PartialPayment {

    private final ClientPayer payer;
    private final LightningKeyDirectory directory;
    private final Executor payments;
    private final DeferredPayment held;
    private final ClientSteps steps;
    private final PaymentRetry retry;
    private final java.time.InstantSource clock;

    PartialPayment(ClientPayer payer, LightningKeyDirectory directory, Executor payments, DeferredPayment held,
            ClientSteps steps, PaymentRetry retry, java.time.InstantSource clock) {
        this.payer = payer;
        this.directory = directory;
        this.payments = payments;
        this.held = held;
        this.steps = steps;
        this.retry = retry;
        this.clock = clock;
    }

    void onInvoice(ClientJob job, Invoice invoice) {
        int parts = (int) job.spec.units();
        long price = invoice.parts() == parts ? PaymentTiming.partPriceMsat(job.quote.nodePriceMsat(), parts,
                invoice.part()) : -1;
        Optional<String> problem = price < 0 ? Optional.of("invoice_parts_differ_from_quote")
                : job.partial().invoices.containsKey(invoice.part()) ? Optional.of("duplicate_invoice")
                : InvoiceRules.check(directory, invoice.bolt11(), job.quote.node(), price, job.jobId,
                        clock.instant().getEpochSecond());
        if (problem.isPresent()) {
            steps.reject(problem.get());
            return;
        }
        job.partial().invoices.put(invoice.part(), invoice);
        advance(job);
    }

    void onPart(ClientJob job, JobResult part) {
        if (part.parts() != job.spec.units() || !JobResult.sha256(part.output()).equals(part.outputSha256())) {
            steps.reject("result_inconsistent");
            return;
        }
        if (!job.partial().paying.contains(part.part()) || job.partial().outputs.containsKey(part.part())) {
            steps.reject("unpaid_or_duplicate_part");
            return;
        }
        job.partial().outputs.put(part.part(), part.output());
        job.partial().outputType = part.outputType();
        steps.progress(job.jobId, "part " + part.part() + " of " + part.parts() + " delivered");
        advance(job);
    }

    /** Pays the next invoice whose previous part is in hand; completes once all parts are in and paid. */
    private void advance(ClientJob job) {
        if (job.finished()) {
            return;
        }
        int parts = (int) job.spec.units();
        if (job.partial().outputs.size() == parts && job.partial().settled.size() == parts) {
            steps.complete(job, job.partial().outputType, combine(job.partial().outputs));
            return;
        }
        for (Map.Entry<Integer, Invoice> e : job.partial().invoices.entrySet()) {
            int part = e.getKey();
            if (!job.partial().paying.contains(part) && (part == 1 || job.partial().outputs.containsKey(part - 1))) {
                job.partial().paying.add(part);
                job.state = ClientJob.State.PAYING;
                long price = PaymentTiming.partPriceMsat(job.quote.nodePriceMsat(), parts, part);
                payments.execute(() -> pay(job, part, e.getValue(), price));
            }
        }
    }

    private void pay(ClientJob job, int part, Invoice invoice, long price) {
        switch (payer.pay(job, invoice.bolt11(), price)) {
            case org.fedai.payment.PayResult.Paid p -> settled(job, part, invoice.bolt11(), Hex.encode(p.preimage()),
                    price);
            case org.fedai.payment.PayResult.Pending p -> held.watchHeld(p.paymentHash(), invoice.expiresAt(),
                    preimage -> settled(job, part, invoice.bolt11(), preimage, price),
                    () -> steps.fail(job, "the node cancelled part " + part + ": refunded; paid for "
                            + job.partial().settled.size() + " parts"));
            case org.fedai.payment.PayResult.Failed f -> {
                if (!retry.later(job, f, () -> pay(job, part, invoice, price))) {
                    steps.fail(job, "payment of part " + part + " failed: " + f.reason() + " " + f.detail());
                }
            }
        }
    }

    private void settled(ClientJob job, int part, String bolt11, String preimage, long price) {
        Quote q = job.quote;
        List<PaymentProof.Paid> paid = new ArrayList<>();
        paid.add(payer.record(job, bolt11, preimage, price));
        boolean fee;
        synchronized (job) {
            fee = !job.partial().feePaid && q.routerFeeMsat() > 0;
            job.partial().feePaid = true;
        }
        if (fee) {
            switch (payer.payFee(job, directory)) {
                case ClientPayer.Attempt.Paid p -> paid.add(p.proof());
                case ClientPayer.Attempt.NotPaid n -> steps.reject("fee_" + n.reason());
            }
        }
        steps.publishProof(job.jobId, job.router, paid);
        synchronized (job) {
            job.partial().settled.add(part);
            advance(job);
        }
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
