package org.fedai.roles.client;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.ResultLock;

/**
 * What one payment timing keeps on a client's job beyond what every job has: the fields of the other timings are
 * not there to be misread. A job gets its timing's state the first time its flow asks for it
 * ({@link ClientJob#before()}, {@link ClientJob#deferred()}, {@link ClientJob#partial()}).
 */
sealed interface TimingState permits TimingState.Before, TimingState.Deferred, TimingState.Parts {

    /**
     * {@code before} ({@link BeforePayment}): the node's checked invoice, and the proofs of the payment sequence so
     * far (the router's fee first, then the node), started again from the fee on a retry (nothing is paid twice).
     */
    final class Before implements TimingState {
        String nodeInvoice;
        final java.util.List<org.fedai.protocol.PaymentProof.Paid> paid = new java.util.ArrayList<>();
        /** run_on_payment: a result that came before the payments' answers, handed over once they are in. */
        String delivered;
        String deliveredType;
        /** run_on_payment: the fee failed for good after the node was paid; the result is handed over as it comes. */
        boolean feeGivenUp;
        /** The router's fee is paid (its proof is in {@link #paid}). */
        boolean feePaid;

    }

    /**
     * {@code after}, {@code hold}, {@code atomic} ({@link DeferredPayment}), and {@code external}
     * ({@link ExternalPayment}, which uses the invoice and proofSent only): the one invoice paid on the timing's
     * terms, and the result held until it is paid and proved.
     */
    final class Deferred implements TimingState {
        Invoice invoice;
        boolean paying;
        boolean proofSent;
        /** The node's preimage, journaled, while the router's fee is being paid. */
        String settledPreimage;
        /** {@code after}: the fee was asked for beside the node's payment, and (once answered) what it proves. */
        boolean feeBeside;
        Optional<org.fedai.protocol.PaymentProof.Paid> feeAnswered;
        String nodePreimage;
        /** The whole result once every part is in: plaintext, or for atomic the joined ciphertext. */
        String delivered;
        String deliveredType;
        String deliveredSha256;
        Optional<ResultLock> lock = Optional.empty();
    }

    /** {@code partial} ({@link PartialPayment}): by part number, each part invoiced, paid, settled and delivered. */
    final class Parts implements TimingState {
        final SortedMap<Integer, Invoice> invoices = new TreeMap<>();
        final Set<Integer> paying = new HashSet<>();
        final Set<Integer> settled = new HashSet<>();
        /** A settled part whose proof waits for the router's fee, paid with the first part. */
        org.fedai.protocol.PaymentProof.Paid awaitingFee;
        final SortedMap<Integer, String> outputs = new TreeMap<>();
        String outputType;
        boolean feePaid;
    }
}
