package org.fedai.roles.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.roles.node.ScriptedPeers.DEADLINE;
import static org.fedai.roles.node.ScriptedPeers.newJobId;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Invoice;
import org.fedai.payment.JobBinding;
import org.fedai.payment.PayResult;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.Heartbeat;
import org.fedai.protocol.HeartbeatCodec;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobResult;
import org.fedai.protocol.MeteringRecord;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobState;
import org.fedai.testing.RelayTest;
import org.fedai.testing.UnreachableWallet;
import org.junit.jupiter.api.Test;

/** The market flow of event-kinds/market-flow.md, the node's side, and its restart. */
@RelayTest
class NodeRoleTest extends NodeRoleFixture {

    // ---- the flow ---------------------------------------------------------------------------------------------

    @Test
    void publishesItsManifestAndHeartbeats() throws Exception {
        startNode(config());
        await().atMost(DEADLINE).until(() -> !peers.fromNode(31400, null).isEmpty()
                && !peers.fromNode(24400, null).isEmpty());
        CapabilityManifest m = CapabilityManifestCodec.decode(peers.fromNode(31400, null).get(0), ScriptedPeers.now())
                .orElseThrow();
        assertThat(m.nodeId()).isEqualTo("test-node");
        assertThat(m.models()).contains(new CapabilityManifest.ModelOffer(MODEL, "embedding", 32 * 1024),
                new CapabilityManifest.ModelOffer("cl100k_base", "chunk", 32 * 1024));
        assertThat(m.prices()).contains(new CapabilityManifest.Price(MODEL, "text", 1000, 1000));
        assertThat(m.payment().lightningPubkey()).isEqualTo(nodeWallet.nodeId());
        assertThat(m.payment().network()).isEqualTo("regtest");
        assertThat(m.bands()).containsEntry("cpu", "small").containsEntry("simd", "avx2");
        assertThat(m.expiresAt()).isGreaterThan(ScriptedPeers.now() + 3600);
        Heartbeat beat = HeartbeatCodec.decode(peers.fromNode(24400, null).get(0), ScriptedPeers.now()).orElseThrow();
        assertThat(beat.address()).isEqualTo("31400:" + nodeKeys.publicKey() + ":test-node");
        assertThat(beat.activeJobs()).isZero();
        assertThat(beat.intervalSeconds()).isEqualTo(5);
    }

    @Test
    void refreshesItsManifestBeforeItExpires() throws Exception {
        startNode(config().withManifestLifetime(Duration.ofSeconds(4)));
        await().atMost(DEADLINE).until(() -> peers.fromNode(31400, null).size() >= 2);
        List<Event> manifests = peers.fromNode(31400, null);
        long firstExpiry = CapabilityManifestCodec.decode(manifests.get(0), manifests.get(0).createdAt())
                .orElseThrow().expiresAt();
        Event second = manifests.get(1);
        // the replacement went out before the first one lapsed, and lives on past it
        assertThat(second.createdAt()).isLessThan(firstExpiry);
        assertThat(CapabilityManifestCodec.decode(second, second.createdAt()).orElseThrow().expiresAt())
                .isGreaterThan(firstExpiry);
    }

    @Test
    void paidEmbeddingJobRunsOnceAndIsDeliveredAndMetered() throws Exception {
        startNode(config());
        String job = newJobId();
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.BEFORE));
        Invoice invoice = peers.awaitInvoice(job);
        assertThat(peers.statuses(job)).first().isEqualTo("accepted");
        assertThat(peers.lastStatus(job).client()).isEqualTo(peers.client.publicKey());
        assertThat(peers.lastStatus(job).router()).isEqualTo(peers.router.publicKey());
        Bolt11Invoice bolt11 = Bolt11Codec.decode(invoice.bolt11());
        assertThat(invoice.amountMsat()).isEqualTo(2000);
        assertThat(bolt11.amountMsat()).hasValue(2000);
        assertThat(bolt11.payeeHex()).isEqualTo(nodeWallet.nodeId());
        assertThat(new JobBinding(job).boundTo(bolt11)).isTrue();

        PayResult.Paid paid = (PayResult.Paid) clientWallet.pay(invoice.bolt11(), OptionalLong.empty());
        String hash = Hex.encode(paid.paymentHash());
        peers.publishInput(job, TEXTS, Map.of());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of(hash));
        await().atMost(DEADLINE).until(() -> peers.metering(job).size() == 1);

        assertThat(peers.statuses(job)).containsExactly("accepted", "input_received", "processing", "success");
        List<JobResult> parts = peers.results(job);
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).outputType()).isEqualTo("vectors");
        JsonNode vectors = Json.MAPPER.readTree(JobProgressCodecs.assemble(parts).orElseThrow());
        assertThat(vectors.size()).isEqualTo(2);
        assertThat(vectors.get(0).size()).isEqualTo(384);
        MeteringRecord record = peers.metering(job).get(0);
        assertThat(record.units()).isEqualTo(2);
        assertThat(record.unit()).isEqualTo("text");
        assertThat(record.priceMsat()).isEqualTo(2000);
        assertThat(record.paymentHashes()).containsExactly(hash);
        assertThat(record.outputSha256()).isEqualTo(parts.get(0).outputSha256());
        assertThat(record.router()).isEqualTo(peers.router.publicKey());
        assertThat(state(job)).isEqualTo(NodeJobState.DONE);
        assertThat(node.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.paid()).isTrue();
            assertThat(o.price().value()).isEqualTo(2000);
        });
        assertThat(runner.runs).hasValue(1);

        // a second work order for the job (a router's replay): refused, never run twice
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of(hash));
        await().atMost(DEADLINE).until(() -> node.rejected("replayed_work_order") == 1);
        assertThat(runner.runs).hasValue(1);
        assertThat(peers.results(job)).hasSize(1);
        assertPublishedEventsMatchTheirSchemas();
    }

    @Test
    void largeOutputIsSplitIntoPartsThatAssembleToTheMeteredHash() throws Exception {
        startNode(config());
        String job = newJobId();
        List<String> texts = java.util.stream.IntStream.range(0, 48).mapToObj(i -> "text number " + i).toList();
        Event quote = quotedAndPaid(job, texts, MODEL, "embedding", Map.of());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of(invoiceHash(job)));
        await().atMost(DEADLINE).until(() -> peers.metering(job).size() == 1);
        List<JobResult> parts = peers.results(job);
        assertThat(parts.size()).isGreaterThan(1);
        assertThat(parts).allSatisfy(p -> assertThat(p.parts()).isEqualTo(parts.size()));
        String whole = JobProgressCodecs.assemble(parts).orElseThrow();
        assertThat(JobResult.sha256(whole)).isEqualTo(peers.metering(job).get(0).outputSha256());
        assertThat(Json.MAPPER.readTree(whole).size()).isEqualTo(48);
    }

    @Test
    void chunkJobWaitsForItsInputWhenTheWorkOrderComesFirst() throws Exception {
        startNode(config());
        String job = newJobId();
        List<String> texts = List.of("Nostr relays carry signed events. ".repeat(12),
                "Routers quote; nodes run; clients pay over Lightning. ".repeat(6));
        Event quote = peers.publishQuote(peers.quote(job, "cl100k_base", "chunk", texts, 2000, PaymentTiming.BEFORE));
        Invoice invoice = peers.awaitInvoice(job);
        PayResult.Paid paid = (PayResult.Paid) clientWallet.pay(invoice.bolt11(), OptionalLong.empty());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID,
                List.of(Hex.encode(paid.paymentHash())));
        await().atMost(DEADLINE).until(() -> state(job) == NodeJobState.PAID);
        assertThat(runner.runs).hasValue(0);

        peers.publishInput(job, texts, Map.of("max_tokens", "16", "overlap", "2"));
        await().atMost(DEADLINE).until(() -> peers.metering(job).size() == 1);
        JobResult result = peers.results(job).get(0);
        assertThat(result.outputType()).isEqualTo("chunks");
        JsonNode chunks = Json.MAPPER.readTree(result.output());
        assertThat(chunks.size()).isGreaterThan(4);
        chunks.forEach(c -> assertThat(c.isTextual()).isTrue());
        assertThat(peers.metering(job).get(0).unit()).isEqualTo("token");
    }

    @Test
    void inputThatOvertakesItsQuoteIsKeptUntilTheQuoteArrives() throws Exception {
        startNode(config());
        String job = newJobId();
        peers.publishInput(job, TEXTS, Map.of());
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.BEFORE));
        Invoice invoice = peers.awaitInvoice(job);
        await().atMost(DEADLINE).until(() -> journal.job(JobId.of(job)).orElseThrow().input().isPresent());
        PayResult.Paid paid = (PayResult.Paid) clientWallet.pay(invoice.bolt11(), OptionalLong.empty());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID,
                List.of(Hex.encode(paid.paymentHash())));
        await().atMost(DEADLINE).until(() -> peers.results(job).size() == 1);
        assertThat(state(job)).isEqualTo(NodeJobState.DONE);
    }

    @Test
    void payAfterWorkIsInvoicedOnceTheWalletAnswersEvenAcrossARestart() throws Exception {
        // invariant "no delivered pay-after job goes unbilled": the wallet is down when the work is done, the node
        // is then killed; restarted with its wallet back, it invoices from its journal
        UnreachableWallet wallet = new UnreachableWallet(nodeWallet);
        startNode(config(), runner, wallet);
        String job = newJobId();
        wallet.down = true; // from the quote on: the invoice kept for the result is not made either
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.AFTER));
        peers.awaitStatus(job, "accepted");
        peers.publishInput(job, TEXTS, Map.of());
        peers.awaitStatus(job, "input_received");
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAY_AFTER, List.of());
        await().atMost(DEADLINE).until(() -> journal.job(JobId.of(job)).map(j -> j.state() == NodeJobState.DONE).orElse(false));
        // the result is journaled DONE before the relay echoes it back to the peers: wait for it, then exactly one
        await().atMost(DEADLINE).until(() -> !peers.results(job).isEmpty());
        assertThat(peers.results(job)).hasSize(1);
        assertThat(journal.job(JobId.of(job)).orElseThrow().invoice()).as("the wallet could not invoice").isEmpty();
        assertThat(journal.awaitingPayment()).extracting(NodeJob::jobId).containsExactly(JobId.of(job));

        stopNode();
        wallet.down = false;
        startNode(config(), runner, wallet);
        Invoice invoice = peers.awaitInvoice(job);
        assertThat(invoice.amountMsat()).isEqualTo(2000);
        assertThat(runner.runs).as("delivered once, not run again").hasValue(1);
    }

    @Test
    void aQuoteTakenWhileTheWalletIsDownIsInvoicedOnceItAnswersNotFailed() throws Exception {
        UnreachableWallet wallet = new UnreachableWallet(nodeWallet);
        wallet.down = true;
        startNode(config(), runner, wallet);
        String job = newJobId();
        peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.BEFORE));
        peers.awaitStatus(job, "accepted");
        await().atMost(DEADLINE).until(() -> journal.job(JobId.of(job)).isPresent());
        assertThat(journal.job(JobId.of(job)).orElseThrow().state()).as("not failed for a wallet that gave no answer")
                .isEqualTo(NodeJobState.ACCEPTED);
        wallet.down = false;
        assertThat(peers.awaitInvoice(job).amountMsat()).isEqualTo(2000);
        assertThat(peers.statuses(job)).doesNotContain("error");
    }

    @Test
    void payAfterWorkRunsDeliversThenInvoices() throws Exception {
        startNode(config());
        String job = newJobId();
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.AFTER));
        peers.awaitStatus(job, "accepted");
        peers.publishInput(job, TEXTS, Map.of());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAY_AFTER, List.of());
        Invoice invoice = peers.awaitInvoice(job);
        assertThat(invoice.amountMsat()).isEqualTo(2000);
        assertThat(peers.results(job)).hasSize(1);
        assertThat(peers.metering(job).get(0).paymentHashes()).isEmpty();
        // the invoice, made at acceptance, was written to the outbox with the result, after it and the success status
        // (a spare invoice for the router's next quote may follow, sealed to the router: not the job's own events)
        List<Integer> kinds = journal.outbox(JobId.of(job)).stream()
                .filter(o -> !(o.eventJson().contains("\"kind\":4402")
                        && o.eventJson().contains("[\"p\",\"" + peers.router.publicKey() + "\"]")))
                .map(o -> Integer.parseInt(o.eventJson().replaceAll(".*\"kind\":(\\d+).*", "$1"))).toList();
        assertThat(kinds).containsExactly(4405, 4405, 4405, 4406, 4405, 4402, 4407);

        // once the client pays, a second metering record names the payment
        PayResult.Paid paid = (PayResult.Paid) clientWallet.pay(invoice.bolt11(), OptionalLong.empty());
        await().atMost(DEADLINE).until(() -> peers.metering(job).size() == 2);
        MeteringRecord second = peers.metering(job).get(1);
        assertThat(second.paymentHashes()).containsExactly(Hex.encode(paid.paymentHash()));
        assertThat(second.outputSha256()).isEqualTo(peers.metering(job).get(0).outputSha256());
        assertPublishedEventsMatchTheirSchemas();
    }

    @Test
    void runnerFailureSendsErrorAndNoResult() throws Exception {
        startNode(config());
        String job = newJobId();
        List<String> texts = List.of("some text to chunk");
        Event quote = quotedAndPaid(job, texts, "cl100k_base", "chunk", Map.of("max_tokens", "1"));
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of(invoiceHash(job)));
        peers.awaitStatus(job, "error");
        assertThat(peers.lastStatus(job).message()).startsWith("invalid_input");
        assertThat(state(job)).isEqualTo(NodeJobState.FAILED);
        assertThat(peers.results(job)).isEmpty();
        assertThat(peers.metering(job)).isEmpty();
    }

    // ---- payment checks ---------------------------------------------------------------------------------------

    @Test
    void workOrderForAnUnsettledInvoiceIsRefusedUntilTheWalletSeesThePayment() throws Exception {
        startNode(config());
        String job = newJobId();
        Event quote = peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.BEFORE));
        Invoice invoice = peers.awaitInvoice(job);
        peers.publishInput(job, TEXTS, Map.of());
        // the router claims payment, but the node's wallet has seen none
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of(invoiceHash(job)));
        // and a work order whose hashes do not include this job's invoice
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of("ab".repeat(32)));
        await().atMost(DEADLINE).until(() -> node.rejected("unpaid") == 2);
        assertThat(state(job)).isEqualTo(NodeJobState.INVOICED);
        assertThat(runner.runs).hasValue(0);

        clientWallet.pay(invoice.bolt11(), OptionalLong.empty());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of(invoiceHash(job)));
        await().atMost(DEADLINE).until(() -> state(job) == NodeJobState.DONE);
        assertThat(runner.runs).hasValue(1);
    }

    // ---- restart ----------------------------------------------------------------------------------------------

    @Test
    void nodeKilledMidJobCompletesItOnceAfterRestart() throws Exception {
        startNode(config());
        String job = newJobId();
        runner.gate = new java.util.concurrent.CountDownLatch(1);
        Event quote = quotedAndPaid(job, TEXTS, MODEL, "embedding", Map.of());
        peers.publishWorkOrder(peers.router, job, quote.id(), WorkAuthorization.PAID, List.of(invoiceHash(job)));
        assertThat(runner.entered.await(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // the next heartbeat reports the running job as load
        await().atMost(DEADLINE).until(() -> peers.fromNode(24400, null).stream()
                .map(e -> HeartbeatCodec.decode(e, ScriptedPeers.now()).orElseThrow())
                .anyMatch(h -> h.activeJobs() == 1 && h.load() == 0.5));

        stopNode(); // mid-run: the held run is interrupted and its outcome dropped
        journal = nodeSeat.reopenJournal();
        assertThat(state(job)).isEqualTo(NodeJobState.RUNNING);
        runner.gate = null;

        startNode(config());
        await().atMost(DEADLINE).until(() -> peers.metering(job).size() == 1);
        assertThat(state(job)).isEqualTo(NodeJobState.DONE);
        assertThat(peers.results(job)).hasSize(1);
        assertThat(peers.statuses(job)).containsExactly("accepted", "input_received", "processing", "success");
        assertThat(runner.runs).hasValue(2); // the interrupted run and the one that finished

        // a second restart: the relay hands the quote, input and work order over again; nothing runs
        stopNode();
        startNode(config());
        await().atMost(DEADLINE).until(() -> node.rejected("duplicate") >= 3);
        assertThat(runner.runs).hasValue(2);
        assertThat(peers.results(job)).hasSize(1);
        assertThat(peers.metering(job)).hasSize(1);
    }

    @Test
    void aRestartedNodePublishesWhatItJournalledBeforeAnyRelayTookIt() throws Exception {
        // killed between a transition's commit and the relay (a delivered job's result, say): nothing of that job
        // moves again after the restart, so the restart itself must send it, not the next job's events
        startNode(config());
        stopNode();
        journal = nodeSeat.reopenJournal();
        String job = newJobId();
        long now = System.currentTimeMillis() / 1000;
        Event journalled = org.fedai.nostr.EventSigner.sign(JobProgressCodecs.encodeStatus(new org.fedai.protocol
                .JobStatus(job, peers.client.publicKey(), peers.router.publicKey(),
                org.fedai.protocol.JobStatus.State.SUCCESS, ""), now), nodeKeys);
        journal.enqueueOnly(List.of(org.fedai.store.Outbound.of(org.fedai.domain.EventId.of(journalled.id()),
                JobId.of(job), org.fedai.nostr.EventJson.toJson(journalled))));
        startNode(config());
        await().atMost(DEADLINE).until(() -> peers.statuses(job).contains("success"));
    }

    @Test
    void openJobsPastTheirDeadlineFailCleanlyOnRestart() throws Exception {
        startNode(config());
        String job = newJobId();
        peers.publishQuote(peers.quote(job, MODEL, "embedding", TEXTS, 2000, PaymentTiming.BEFORE));
        peers.awaitInvoice(job);
        stopNode();
        clock.advanceSeconds(600);
        startNode(config());
        peers.awaitStatus(job, "error");
        assertThat(state(job)).isEqualTo(NodeJobState.FAILED);
        assertThat(runner.runs).hasValue(0);
        assertThat(nodeWallet.lookup(Hex.decode(invoiceHash(job))))
                .isInstanceOfSatisfying(org.fedai.payment.LookupResult.Found.class,
                        f -> assertThat(f.state()).isEqualTo(org.fedai.store.InvoiceState.CANCELLED));
    }

    @Test
    void unpaidJobFailsWhenItsQuoteExpiresButAPaidOneWaitsForItsWorkOrder() throws Exception {
        startNode(config());
        String unpaid = newJobId();
        peers.publishQuote(peers.quote(unpaid, MODEL, "embedding", TEXTS, 2000, PaymentTiming.BEFORE));
        peers.awaitInvoice(unpaid);
        String paid = newJobId();
        Event quote = quotedAndPaid(paid, TEXTS, MODEL, "embedding", Map.of());
        await().atMost(DEADLINE).until(() -> journal.job(JobId.of(paid)).orElseThrow().input().isPresent());
        clock.advanceSeconds(150); // past both quotes' expiration (120 s), before deliver_by (300 s)
        peers.awaitStatus(unpaid, "error");
        assertThat(state(unpaid)).isEqualTo(NodeJobState.FAILED);
        assertThat(state(paid)).isEqualTo(NodeJobState.INVOICED);

        peers.publishWorkOrder(peers.router, paid, quote.id(), WorkAuthorization.PAID, List.of(invoiceHash(paid)));
        await().atMost(DEADLINE).until(() -> peers.results(paid).size() == 1);
        assertThat(peers.statuses(paid)).doesNotContain("error");
    }
}
