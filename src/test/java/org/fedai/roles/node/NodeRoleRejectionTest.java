package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.node.ScriptedPeers.DEADLINE;
import static org.fedai.roles.node.ScriptedPeers.newJobId;
import static org.fedai.roles.node.ScriptedPeers.now;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.payment.LookupResult;
import org.fedai.protocol.Quote;
import org.fedai.protocol.QuoteCodec;
import org.fedai.store.InvoiceState;
import org.fedai.store.NodeJobState;
import org.fedai.testing.RelayTest;
import org.junit.jupiter.api.Test;

/** Bad input of every kind the node takes: each refused with its counted reason, none fatal, nothing run. */
@RelayTest
class NodeRoleRejectionTest extends NodeRoleFixture {

    private Quote quote(String job) {
        return peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.BEFORE);
    }

    /** The same event with its tags replaced, re-signed by {@code author}. */
    private Event retagged(UnsignedEvent e, List<List<String>> tags, KeyPair author) {
        return peers.publish(new UnsignedEvent(e.createdAt(), e.kind(), tags, e.content()), author);
    }

    private void awaitRejected(String reason, long count) {
        await().atMost(DEADLINE).until(() -> node.rejected(reason) == count);
    }

    @Test
    void quoteWhoseFirstRecipientIsSomeoneElseIsNotForUs() throws Exception {
        startNode(config());
        String job = newJobId();
        UnsignedEvent sealed = QuoteCodec.encode(quote(job), peers.router, peers.node, now());
        List<List<String>> tags = new ArrayList<>(sealed.tags());
        tags.add(0, List.of("p", KeyPair.generate().publicKey())); // the node's p comes second
        retagged(sealed, tags, peers.router);
        awaitRejected("not_for_us", 1);
        assertThat(journal.job(JobId.of(job))).isEmpty();
    }

    @Test
    void quoteSealedForAnotherKeyIsUndecryptable() throws Exception {
        startNode(config());
        String job = newJobId();
        String stranger = KeyPair.generate().publicKey();
        UnsignedEvent sealed = QuoteCodec.encode(quote(job), peers.router, stranger, now());
        List<List<String>> tags = new ArrayList<>(sealed.tags());
        tags.set(0, List.of("p", peers.node));
        retagged(sealed, tags, peers.router);
        awaitRejected("undecryptable", 1);
        assertThat(journal.job(JobId.of(job))).isEmpty();
    }

    @Test
    void quotesFromNonRoutersExpiredOrNotNamingTheNodeAreRefused() throws Exception {
        startNode(config());
        KeyPair stranger = KeyPair.generate();
        peers.publish(QuoteCodec.encode(quote(newJobId()), stranger, peers.node, now()), stranger);
        awaitRejected("not_a_router", 1);

        Quote q = quote(newJobId());
        Quote otherNode = q.toBuilder().parties(q.client(), KeyPair.generate().publicKey()).build();
        peers.publishQuote(otherNode);
        awaitRejected("not_named", 1);

        Quote late = q.toBuilder().jobId(newJobId()).deadlines(now() - 5, q.deliverBy(), q.expiresAt()).build();
        peers.publishQuote(late);
        awaitRejected("expired", 1);

        Quote cheap = q.toBuilder().jobId(newJobId()).price(1, 0, "").build();
        peers.publishQuote(cheap);
        awaitRejected("underpriced", 1);

        // the node's clock has moved past the quote's NIP-40 expiration
        clock.advanceSeconds(600);
        peers.publishQuote(quote(newJobId()));
        awaitRejected("expired", 2);
        assertThat(journal.jobs()).isEmpty();
    }

    @Test
    void workOrdersFromAnotherRouterOrForUnknownJobsAreRefused() throws Exception {
        startNode(config());
        String job = newJobId();
        Event quote = quotedAndPaid(job, TEXTS, MODEL, "embedding", Map.of());
        await().atMost(DEADLINE).until(() -> journal.job(JobId.of(job)).orElseThrow().input().isPresent());
        KeyPair otherRouter = KeyPair.generate();
        peers.publishWorkOrder(otherRouter, job, quote.id(), WorkAuthorization.PAID, List.of(invoiceHash(job)));
        awaitRejected("wrong_router", 1);
        peers.publishWorkOrder(peers.router, newJobId(), quote.id(), WorkAuthorization.PAID,
                List.of(invoiceHash(job)));
        awaitRejected("unknown_job", 1);
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAY_AFTER, List.of());
        awaitRejected("inconsistent", 1); // the quote said pay before work
        assertThat(runner.runs).hasValue(0);
        assertThat(state(job)).isEqualTo(NodeJobState.INVOICED);
    }

    @Test
    void inputWithTheWrongCommitmentFailsTheJob() throws Exception {
        startNode(config());
        String job = newJobId();
        peers.publishQuote(quote(job));
        peers.awaitInvoice(job);
        KeyPair stranger = KeyPair.generate();
        peers.publish(org.fedai.protocol.JobRequestCodec.encode(new org.fedai.protocol.JobRequest.Input(job, TEXTS,
                Map.of(), now() + 300), stranger, peers.node, now()), stranger);
        awaitRejected("wrong_client", 1);

        peers.publishInput(job, List.of("not what was committed"), Map.of());
        awaitRejected("inconsistent", 1);
        peers.awaitStatus(job, "error");
        assertThat(state(job)).isEqualTo(NodeJobState.FAILED);
        assertThat(peers.lastStatus(job).message()).contains("input_sha256");
        // the invoice for work that will not be done can no longer be paid
        assertThat(nodeWallet.lookup(Hex.decode(invoiceHash(job)))).isInstanceOfSatisfying(LookupResult.Found.class,
                f -> assertThat(f.state()).isEqualTo(InvoiceState.CANCELLED));
    }

    @Test
    void inputOverTheNodesLimitIsRefused() throws Exception {
        startNode(config().withMaxInputBytes(64));
        String job = newJobId();
        List<String> big = List.of("x".repeat(50), "y".repeat(50));
        peers.publishQuote(peers.quote(job, MODEL, "embedding", big, 2000, PaymentTiming.BEFORE));
        peers.awaitInvoice(job);
        peers.publishInput(job, big, Map.of());
        awaitRejected("too_large", 1);
        peers.awaitStatus(job, "error");
        assertThat(state(job)).isEqualTo(NodeJobState.FAILED);
        assertThat(runner.runs).hasValue(0);
    }

    @Test
    void replayedEventsAreCountedAndHandledOnce() throws Exception {
        startNode(config());
        String job = newJobId();
        Event quote = peers.publishQuote(quote(job));
        peers.awaitInvoice(job);
        // the router sends the same job's quote again as a new event: one job, one invoice
        peers.publishQuote(quote(job));
        awaitRejected("duplicate", 1);
        assertThat(peers.fromNode(4402, job)).hasSize(1);
        assertThat(journal.job(JobId.of(job)).orElseThrow().terms().quoteEventId().hex()).isEqualTo(quote.id());
    }
}
