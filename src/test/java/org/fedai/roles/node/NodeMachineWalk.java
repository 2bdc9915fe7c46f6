package org.fedai.roles.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Sha256;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.Quote;
import org.fedai.protocol.WorkOrder;
import org.fedai.roles.node.machine.NodeAction;
import org.fedai.roles.node.machine.NodeInput;
import org.fedai.roles.node.machine.NodeJobMachine;
import org.fedai.roles.node.machine.NodeTiming;
import org.fedai.roles.node.machine.NodeView;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeSpares;
import org.fedai.store.Outbound;

/**
 * One job walked through the node's pure machine in milliseconds: no relay, wallet, runner or real time. The
 * journal is a real in-memory one (the machine's writes applied as the shell applies them), the clock is a field,
 * and every question the machine asks is answered by the test.
 */
final class NodeMachineWalk implements AutoCloseable {

    static final long PRICE = 3_000;
    /** Kinds the node publishes, as the tests name them. */
    static final int STATUS = 4405;
    static final int INVOICE = 4402;
    static final int RESULT = 4406;
    static final int METERING = 4407;
    /** A run's outcome: one vector, 7 tokens. */
    static final org.fedai.roles.node.machine.RunOutcome.Done VECTORS = new org.fedai.roles.node.machine.RunOutcome.Done(
            "vectors", "[[0.5]]", 7, "token");
    static final long MAX_INPUT_BYTES = 1 << 16;

    final KeyPair node = KeyPair.generate();
    final KeyPair router = KeyPair.generate();
    final KeyPair client = KeyPair.generate();
    final NodeJobJournal journal = NodeJobJournal.inMemory();
    final JobId jobId = JobId.of(Hex.encode(Sha256.hash(KeyPair.generate().secretKey())));
    final List<String> texts;
    private final NodeWrites writes = new NodeWrites(journal);
    private final Set<JobId> inFlight = new HashSet<>();
    private int preimages;
    private final NodeJobMachine machine = new NodeJobMachine(node, MAX_INPUT_BYTES, () -> {
        byte[] preimage = new byte[32];
        preimage[0] = (byte) ++preimages; // fresh every time, and predictable
        return preimage;
    });
    long now = 1_800_000_000L;

    NodeMachineWalk(String... texts) {
        this.texts = List.of(texts);
    }

    /** The machine's transition for {@code input} on the job as journalled; its writes applied, runs in flight. */
    List<NodeAction> on(NodeInput input) {
        List<NodeAction> actions = decide(input);
        actions.forEach(this::apply);
        return actions;
    }

    /** The machine's transition, nothing applied yet. */
    List<NodeAction> decide(NodeInput input) {
        return machine.on(input, view(), now).actions();
    }

    /** One action as the shell carries it out, as far as the journal and the runs in flight go. */
    void apply(NodeAction action) {
        if (action instanceof NodeAction.Journal write) {
            writes.apply(write, now);
        } else if (action instanceof NodeAction.Run run) {
            inFlight.add(run.job().jobId());
        }
    }

    NodeView view() {
        return journal.job(jobId).map(job -> new NodeView(jobId, job, journal.preimage(jobId),
                NodeTiming.of(job).partial() ? journal.parts().of(jobId) : List.of(), inFlight.contains(jobId)))
                .orElse(NodeView.unknown(jobId));
    }

    NodeJob job() {
        return journal.job(jobId).orElseThrow();
    }

    /** The node restarted: the journal stays, nothing is in flight. */
    void restart() {
        inFlight.clear();
    }

    /** A run came back (its outcome is fed next): no longer in flight. */
    void restartRun() {
        inFlight.remove(jobId);
    }

    /** The run came back: no longer in flight. */
    List<NodeAction> runFinished(int part, org.fedai.roles.node.machine.RunOutcome outcome) {
        inFlight.remove(jobId);
        return on(new NodeInput.RunFinished(part, outcome));
    }

    // ---- what the peers send ----------------------------------------------------------------------------------

    Quote quote(PaymentTiming timing) {
        return Quote.builder().jobId(jobId.hex()).parties(client.publicKey(), node.publicKey())
                .work("model", "embedding", commitment(), texts.size())
                .price(timing == PaymentTiming.FREE ? 0 : PRICE, 0, "").timing(timing)
                .deadlines(now + 30, now + 300, now + 60).build();
    }

    NodeInput.QuoteAdmitted quoted(PaymentTiming timing) {
        return new NodeInput.QuoteAdmitted(event(FedaiKind.QUOTE, router), quote(timing));
    }

    /** A {@code before} quote that lets the node run on its own wallet's settlement (4401 {@code run_on_payment}). */
    NodeInput.QuoteAdmitted quotedRunOnPayment() {
        return new NodeInput.QuoteAdmitted(event(FedaiKind.QUOTE, router),
                quote(PaymentTiming.BEFORE).toBuilder().runOnPayment(true).build());
    }

    /** The node's wallet reports {@code paymentHash} settled (NIP-47 payment_received): its answer, as NodeJobs feeds it. */
    NodeInput.WalletAnswered settledReport(String paymentHash) {
        return new NodeInput.WalletAnswered(new NodeAction.AskWallet(jobId, NodeAction.Question.PAID_TO_RUN,
                paymentHash, 0, false), java.util.Optional.of(org.fedai.store.InvoiceState.SETTLED));
    }

    /** The node's wallet reports a payment locked in {@code paymentHash} (NIP-47 hold_invoice_accepted), as NodeJobs feeds it to a before job. */
    NodeInput.WalletAnswered heldReport(String paymentHash) {
        return new NodeInput.WalletAnswered(new NodeAction.AskWallet(jobId, NodeAction.Question.PAID_TO_RUN,
                paymentHash, 0, false), java.util.Optional.of(org.fedai.store.InvoiceState.HELD));
    }

    NodeInput.InputReceived input(KeyPair from, List<String> sent) {
        return new NodeInput.InputReceived(event(FedaiKind.JOB_REQUEST, from),
                new JobRequest.Input(jobId.hex(), sent, Map.of(), now + 300));
    }

    NodeInput.InputReceived input() {
        return input(client, texts);
    }

    NodeInput.OrderAdmitted order(PaymentTiming timing, List<String> hashes) {
        return new NodeInput.OrderAdmitted(event(FedaiKind.WORK_ORDER, router), new WorkOrder(jobId.hex(), "q",
                client.publicKey(), WorkAuthorization.forTiming(timing), hashes, now + 300));
    }

    String commitment() {
        return new JobRequest.Input("", texts, Map.of(), 0).commitment();
    }

    static NodeJob.InvoiceRef invoice(String paymentHash, long expiresAt) {
        return new NodeJob.InvoiceRef("lnbcrt" + paymentHash.substring(0, 8), paymentHash, expiresAt);
    }

    /** This walk's router's spare at the walk's price: a hold one if {@code preimage} is given. */
    NodeSpares.Spare spare(NodeJob.InvoiceRef ref, java.util.Optional<String> preimage) {
        return new NodeSpares.Spare(ref.paymentHash(), org.fedai.domain.PublicKey.of(router.publicKey()),
                org.fedai.domain.Msat.of(PRICE), ref.bolt11(), ref.expiresAt(), preimage);
    }

    /** This walk's router's hold spare for {@code preimageHex}, payable an hour. */
    NodeSpares.Spare holdSpare(String preimageHex) {
        String hash = org.fedai.nostr.Hex.encode(org.fedai.nostr.Sha256.hash(org.fedai.nostr.Hex.decode(preimageHex)));
        return spare(invoice(hash, now + 3600), java.util.Optional.of(preimageHex));
    }

    /** The quote for {@code timing} carrying {@code spare} as its node_invoice, admitted with it. */
    NodeInput.QuoteAdmitted quotedWith(NodeInput.QuoteAdmitted quoted, NodeSpares.Spare spare) {
        return new NodeInput.QuoteAdmitted(quoted.event(), quoted.quote().toBuilder().nodeInvoice(spare.bolt11())
                .build(), java.util.Optional.of(spare));
    }

    private Event event(FedaiKind kind, KeyPair from) {
        return EventSigner.sign(UnsignedEvent.of(kind.number(), "walk " + (now++),
                List.of(List.of("e", jobId.hex()))), from);
    }

    // ---- reading actions --------------------------------------------------------------------------------------

    static <T extends NodeAction> List<T> of(List<NodeAction> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends NodeAction> T one(List<NodeAction> actions, Class<T> type) {
        List<T> found = of(actions, type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " in " + actions);
        }
        return found.get(0);
    }

    /** The kinds of the events a write publishes, in order. */
    static List<Integer> kinds(List<Outbound> out) {
        List<Integer> kinds = new ArrayList<>();
        for (Outbound o : out) {
            try {
                kinds.add(EventJson.parse(o.eventJson()).kind());
            } catch (org.fedai.nostr.MalformedEventException e) {
                throw new AssertionError("the machine signed an unreadable event", e);
            }
        }
        return kinds;
    }

    /** The kinds of every event the transition's writes publish. */
    static List<Integer> published(List<NodeAction> actions) {
        List<Integer> kinds = new ArrayList<>();
        of(actions, NodeAction.Journal.class).forEach(w -> kinds.addAll(kinds(w.out())));
        return kinds;
    }

    @Override
    public void close() {
        journal.close();
    }
}
