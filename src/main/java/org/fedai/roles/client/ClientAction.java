package org.fedai.roles.client;

import java.util.List;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.PaymentProof;

/**
 * What {@link ClientJobMachine} decides, as data: journal writes, which the executor ({@link ClientEffects}) makes
 * before any effect of the same transition, and effects (publish, pay, look up, wait, count, end the job).
 */
sealed interface ClientAction {

    /** Whom a payment goes to: the node (part 0 for the whole job, else that part) or the router's fee. */
    record Payee(boolean fee, int part) {
        static final Payee NODE = new Payee(false, 0);
        static final Payee FEE = new Payee(true, 0);

        static Payee part(int part) {
            return new Payee(false, part);
        }

        static Payee feeWithPart(int part) {
            return new Payee(true, part);
        }
    }

    /** A write to the client's journal, made before the transition's effects. */
    sealed interface Journal extends ClientAction {
    }

    /** The quote event the job acts on, so that a restart re-reads it. */
    record RecordQuote(Event quote) implements Journal {
    }

    /** The job's state (and node, once quoted), so that a restart resumes it there. */
    record RecordState(ClientJob.State state, PublicKey node) implements Journal {
    }

    /** A preimage learned other than from paying (a held payment settled, an external payer's reveal). */
    record RecordPayment(String bolt11, String preimage, Msat amount) implements Journal {
    }

    /** The input, sealed to the quoted node only. */
    record PublishInput() implements ClientAction {
    }

    /** An event signed before, sent again (the journaled spec after a restart). */
    record PublishSigned(Event event) implements ClientAction {
    }

    /** Pays {@code bolt11} through {@link ClientPayer}; answered by {@link ClientInput.PayAnswered}. */
    record Pay(Payee payee, String bolt11, Msat amount) implements ClientAction {
    }

    /**
     * Asks the wallet after a poll interval how a held payment stands; answered by {@link ClientInput.LookedUp}.
     * {@code expiresAt}: the invoice's expiry (epoch seconds), after which nobody asks any more.
     */
    record LookUpLater(Payee payee, String bolt11, Msat amount, String paymentHashHex, long expiresAt)
            implements ClientAction {
    }

    /** Asks for the payment again after {@code delayMs}: answered by {@link ClientInput.RetryDue}. */
    record RetryLater(Payee payee, long delayMs) implements ClientAction {
    }

    /** The proof, published until a relay takes it or the job is over. */
    record SendProof(List<PaymentProof.Paid> paid) implements ClientAction {
    }

    /** The proof, published once (a timing whose result does not wait on it). */
    record PublishProof(List<PaymentProof.Paid> paid) implements ClientAction {
    }

    /** The checked invoice of an external job, handed to whoever pays outside fedai. */
    record HandToOutsidePayer(Invoice invoice) implements ClientAction {
    }

    /** Events that came before the job's quote, taken again now that it is in. */
    record Replay(List<Event> events) implements ClientAction {
    }

    /** No quote came (or the router refused): a fresh spec to the next router of the submission's order. */
    record TryNextRouter() implements ClientAction {
    }

    /** A step of the job, in words, for the progress listeners. */
    record Progress(String step) implements ClientAction {
    }

    /** Counts a refusal, or something worth seeing that is not one (a retry, a recovery), by reason. */
    record Count(String reason) implements ClientAction {
    }

    /** The job succeeded with this output: its outcome is handed over. */
    record Complete(String outputType, String output) implements ClientAction {
    }

    /** The job failed for {@code why}: its outcome is handed over. */
    record Fail(String why) implements ClientAction {
    }
}
