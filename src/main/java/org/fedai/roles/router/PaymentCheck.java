package org.fedai.roles.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Hex;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Exception;
import org.fedai.payment.Bolt11Network;
import org.fedai.payment.JobBinding;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.PaymentExpectation;
import org.fedai.payment.PaymentProofVerifier;
import org.fedai.payment.ProofResult;
import org.fedai.payment.SpareBinding;
import org.fedai.protocol.PaymentProof;
import org.fedai.roles.router.machine.ProofOutcome;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;

/**
 * The router's side of a 4403 proof: each entry is the node's invoice (payee: the Lightning key the node's
 * manifest declared when it was quoted, amount: the node price) or the router's fee invoice (payee: the
 * router's own wallet, amount: the fee), both bound to the job, or, for an invoice the quote named that was made
 * before the job (a spare), to this router, the quote naming its exact payment hash. {@link PaymentProofVerifier} checks each and
 * spends its hash once; the ledger keeps which hashes paid which job, so a client whose first proof was
 * incomplete can send the missing entry later without its verified ones counting as reused.
 */
final class PaymentCheck {

    static final String NODE = "node";
    static final String FEE = "fee";

    private final PaymentProofVerifier verifier;
    private final PaymentBackend wallet;
    private final RouterLedger ledger;
    private final SpareBinding spareBinding;

    /** {@code router}: this router's key, which its spares (its nodes' and its own) commit to. */
    PaymentCheck(PaymentProofVerifier verifier, PaymentBackend wallet, RouterLedger ledger, PublicKey router) {
        this.verifier = verifier;
        this.spareBinding = new SpareBinding(router.hex());
        this.wallet = wallet;
        this.ledger = ledger;
    }

    /**
     * @param alreadySettled the job's payment was complete before this proof: every entry is then checked
     *                       afresh, so presenting its preimages again is refused as {@code already_spent}
     * @param parts          for a partial job its part count: a node invoice must then ask one part's price
     */
    ProofOutcome check(PaymentProof proof, RouterQuoteRow quote, boolean alreadySettled, long nowSeconds, int parts) {
        ProofOutcome outcome = verify(proof, quote, alreadySettled, nowSeconds, parts);
        // a refusal on a later entry leaves the earlier ones verified and recorded: the job's hashes go back anyway
        return outcome instanceof ProofOutcome.Refused r ? new ProofOutcome.Refused(r.reason(),
                verifiedHashes(quote.jobId())) : outcome;
    }

    private static Optional<String> paymentHashOf(String bolt11) {
        if (bolt11.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Bolt11Codec.decode(bolt11).paymentHashHex());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the router's own fee invoice in the quote was one of its spares ("" for no fee: not one). */
    private boolean isSpare(String feeInvoice) {
        if (feeInvoice.isEmpty()) {
            return false;
        }
        try {
            return spareBinding.boundTo(Bolt11Codec.decode(feeInvoice));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private List<String> verifiedHashes(JobId jobId) {
        List<String> all = new ArrayList<>(ledger.verifiedHashes(jobId, NODE));
        all.addAll(ledger.verifiedHashes(jobId, FEE));
        return all;
    }

    private ProofOutcome verify(PaymentProof proof, RouterQuoteRow quote, boolean alreadySettled, long nowSeconds,
            int parts) {
        JobBinding binding = new JobBinding(quote.jobId().hex());
        // a spare (the node's the quote named, or the router's own fee spare) commits to this router, not the job: the
        // quote names its exact payment hash, and the registry spends it once
        Optional<String> nodeSpareHash = paymentHashOf(quote.nodeInvoice());
        boolean feeSpare = isSpare(quote.feeInvoice());
        for (PaymentProof.Paid paid : proof.paid()) {
            String hash;
            long partAmount;
            try {
                org.fedai.payment.Bolt11Invoice decoded = Bolt11Codec.decode(paid.bolt11());
                hash = decoded.paymentHashHex();
                partAmount = decoded.amountMsat().orElse(-1);
            } catch (Bolt11Exception e) {
                return ProofOutcome.refused("malformed_invoice");
            }
            boolean fee = hash.equals(quote.feePaymentHash());
            if (!fee && nodeSpareHash.isPresent() && !nodeSpareHash.get().equals(hash)) {
                return ProofOutcome.refused("not_the_quoted_invoice"); // the quote named the node's spare: only it pays
            }
            if (!alreadySettled && ledger.paymentJob(hash).filter(quote.jobId()::equals).isPresent()) {
                continue; // verified for this job by an earlier, incomplete proof
            }
            boolean spare = fee ? feeSpare : nodeSpareHash.isPresent();
            PaymentExpectation expected;
            try {
                long nodeAmount = parts > 0 && PaymentTiming.isPartPrice(quote.nodePrice().value(), parts, partAmount)
                        ? partAmount : quote.nodePrice().value();
                expected = new PaymentExpectation(Hex.decodeFixed(fee ? wallet.nodeId() : quote.nodeLightningPubkey(), 33),
                        fee ? quote.fee().value() : nodeAmount, fee ? wallet.network()
                                : Bolt11Network.valueOf(quote.nodeNetwork().toUpperCase(Locale.ROOT)),
                        spare ? spareBinding.descriptionHash() : binding.descriptionHash(), binding.jobEventId());
            } catch (IllegalArgumentException e) {
                return ProofOutcome.refused("unverifiable_terms");
            }
            ProofResult result = verifier.verify(expected, paid.bolt11(), Hex.decode(paid.preimage()), nowSeconds);
            if (result instanceof ProofResult.Rejected r) {
                return ProofOutcome.refused(r.reason().name().toLowerCase(Locale.ROOT));
            }
            ProofResult.Verified v = (ProofResult.Verified) result;
            ledger.recordPayment(v.paymentHashHex(), quote.jobId(), fee ? FEE : NODE, Msat.of(v.amountMsat()), nowSeconds);
        }
        List<String> nodeHashes = ledger.verifiedHashes(quote.jobId(), NODE);
        List<String> feeHashes = ledger.verifiedHashes(quote.jobId(), FEE);
        boolean complete = !nodeHashes.isEmpty() && (quote.fee().isZero() || !feeHashes.isEmpty());
        List<String> all = new ArrayList<>(nodeHashes);
        all.addAll(feeHashes);
        return new ProofOutcome.Verified(complete, all);
    }
}
