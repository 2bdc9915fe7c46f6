package org.fedai.roles.client;

import java.util.List;
import java.util.Optional;
import org.fedai.nostr.Event;
import org.fedai.payment.LookupResult;
import org.fedai.payment.PayResult;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.JobStatus;
import org.fedai.protocol.Quote;
import org.fedai.store.ClientJournal;

/**
 * What happens to a client's job, as {@link ClientJobMachine} takes it: events the shell decoded and found the job
 * of, the answers to the machine's own questions (payments, wallet lookups), its timers, and a restart.
 */
sealed interface ClientInput {

    /** The router's 4401 for the job, from a configured router whose Lightning key is declared. */
    record QuoteReceived(Event event, Quote quote) implements ClientInput {
    }

    /** A 4402 naming the job (decoded; its author and BOLT11 not yet checked). */
    record InvoiceReceived(Event event, Invoice invoice) implements ClientInput {
    }

    /** A 4405 naming the job, from its router or anyone else. */
    record StatusReceived(Event event, JobStatus status) implements ClientInput {
    }

    /** A 4406 part naming the job (decoded; its author not yet checked). */
    record ResultReceived(Event event, JobResult part) implements ClientInput {
    }

    /**
     * The answer to {@link ClientAction.Pay}: a {@link PayResult.Paid} is already journaled with its preimage
     * ({@link ClientPayer}).
     */
    record PayAnswered(ClientAction.Pay asked, PayResult result) implements ClientInput {
    }

    /** The answer to {@link ClientAction.LookUpLater}: the wallet's record of a held payment, empty if it has none. */
    record LookedUp(ClientAction.LookUpLater asked, Optional<LookupResult.Found> found) implements ClientInput {
    }

    /** A {@link ClientAction.RetryLater}'s delay is over: the payment is asked for again. */
    record RetryDue(ClientAction.Payee payee) implements ClientInput {
    }

    /** No quote within the quote timeout of the spec going out. */
    record QuoteTimedOut(long afterMs) implements ClientInput {
    }

    /** deliver_by passed. */
    record DeadlinePassed() implements ClientInput {
    }

    /** No relay took the spec. */
    record SpecRefused(String outcomes) implements ClientInput {
    }

    /**
     * The client started again with the job open in its journal: {@code journaled}, the payments journaled for it (after asking the wallet for attempts the journal never heard the end of); {@code spec}, the signed spec
     * as first sent.
     */
    record Resumed(List<ClientJournal.Payment> journaled, Optional<Event> spec) implements ClientInput {
    }
}
