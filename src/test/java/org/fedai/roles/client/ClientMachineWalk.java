package org.fedai.roles.client;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.Quote;
import org.fedai.store.ClientJournal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client job walked through {@link ClientJobMachine} with no relay and no thread: the test is the shell. Its
 * payments go through the real {@link ClientPayer}, journal and dev wallet ledger (SQLite, in a temporary
 * directory), its clock is {@link #nowMs}, and every transition is checked for "journal before effects".
 */
final class ClientMachineWalk implements AutoCloseable {

    static final long PRICE = 3_000;
    static final long FEE = 300;
    static final long FUNDS = 1_000_000;

    final KeyPair client = KeyPair.generate();
    final KeyPair router = KeyPair.generate();
    final KeyPair node = KeyPair.generate();
    final DevWalletNetwork network;
    final DevWallet clientWallet;
    final DevWallet nodeWallet;
    final DevWallet routerWallet;
    final ClientJournal journal;
    final ClientPayer payer;
    final List<ClientAction> taken = new ArrayList<>();
    boolean paysExternally = true;
    /** The walk's clock, from the wall clock's now: the dev wallet dates its invoices by the real one. */
    long nowMs = System.currentTimeMillis();
    final ClientJobMachine machine;
    ClientJob job;

    ClientMachineWalk(Path dir) {
        network = DevWalletNetwork.open(dir.resolve("wallets.db"));
        clientWallet = network.wallet("client", KeyPair.generate().secretKey());
        nodeWallet = network.wallet("node", KeyPair.generate().secretKey());
        routerWallet = network.wallet("router", KeyPair.generate().secretKey());
        network.deposit("client", FUNDS);
        journal = ClientJournal.open(dir.resolve("client.db"));
        payer = new ClientPayer(clientWallet, journal, InstantSource.system());
        Map<String, String> declared = Map.of(node.publicKey(), nodeWallet.nodeId(), router.publicKey(),
                routerWallet.nodeId());
        machine = new ClientJobMachine(new ClientContext() {
            @Override
            public PublicKey me() {
                return PublicKey.of(client.publicKey());
            }

            @Override
            public Optional<String> lightningKeyOf(PublicKey nostrKey) {
                return Optional.ofNullable(declared.get(nostrKey.hex()));
            }

            @Override
            public boolean paysExternally() {
                return paysExternally;
            }
        });
    }

    /** A new job of {@code timing} over {@code texts}, its spec sent to the router; {@code later}: routers after it. */
    ClientJob start(PaymentTiming timing, List<String> texts, String... later) {
        JobSubmission s = new JobSubmission("m", "embedding", texts, Map.of(), Msat.of(100_000),
                JobRequest.Constraints.none(), timing, 60);
        long at = nowMs / 1000;
        job = new ClientJob(JobId.of(Long.toHexString(nowMs).repeat(6).substring(0, 64)), s, ClientJob.specOf(s, at),
                key(router), at, new CompletableFuture<>(), Arrays.stream(later).map(PublicKey::of).toList());
        return job;
    }

    static PublicKey key(KeyPair keys) {
        return PublicKey.of(keys.publicKey());
    }

    List<ClientAction> feed(ClientInput input) {
        List<ClientAction> actions = machine.on(input, job, nowMs);
        int firstEffect = 0;
        while (firstEffect < actions.size() && actions.get(firstEffect) instanceof ClientAction.Journal) {
            firstEffect++;
        }
        assertThat(actions.subList(firstEffect, actions.size())).as("journal before effects")
                .noneMatch(ClientAction.Journal.class::isInstance);
        taken.addAll(actions);
        of(actions, ClientAction.RecordPayment.class).forEach(r -> payer.record(job.jobId, r.bolt11(), r.preimage(),
                r.amount()));
        return actions;
    }

    Event signed(KeyPair by, FedaiKind kind) {
        return EventSigner.sign(new UnsignedEvent(nowMs / 1000, kind.number(), List.of(), "" + taken.size()), by);
    }

    Quote quote(PaymentTiming timing, long fee) {
        return Quote.builder().jobId(job.jobId.hex()).parties(client.publicKey(), node.publicKey())
                .work("m", "embedding", job.spec.inputSha256(), job.spec.units())
                .price(PRICE, fee, fee > 0 ? bolt11(routerWallet, fee) : "").timing(timing)
                .deadlines(job.spec.deliverBy(), job.spec.deliverBy(), job.spec.deliverBy()).build();
    }

    List<ClientAction> quoted(PaymentTiming timing, long fee) {
        return feed(new ClientInput.QuoteReceived(signed(router, FedaiKind.QUOTE), quote(timing, fee)));
    }

    /** A before quote saying run_on_payment (4401-quote.md): the node runs on its own wallet's settlement. */
    List<ClientAction> quotedRunOnPayment(long fee) {
        return feed(new ClientInput.QuoteReceived(signed(router, FedaiKind.QUOTE),
                quote(PaymentTiming.BEFORE, fee).toBuilder().runOnPayment(true).build()));
    }

    String bolt11(DevWallet payee, long amount) {
        return ((InvoiceResult.Created) payee.makeInvoice(InvoiceRequest.forJob(amount, new JobBinding(job.jobId.hex()),
                600))).bolt11();
    }

    /** An invoice made before its job, bound to this walk's router's spares (4402 "Spare invoices"). */
    String spareBolt11(DevWallet payee, long amount) {
        return ((InvoiceResult.Created) payee.makeInvoice(InvoiceRequest.spare(amount,
                new org.fedai.payment.SpareBinding(router.publicKey()), 3600))).bolt11();
    }

    /** A spare hold invoice of the node's, for {@code preimage}'s hash, bound to this walk's router's spares. */
    String spareHoldBolt11(long amount, byte[] preimage) {
        return ((InvoiceResult.Created) nodeWallet.makeHoldInvoice(InvoiceRequest.spare(amount,
                new org.fedai.payment.SpareBinding(router.publicKey()), 3600), org.fedai.nostr.Sha256.hash(preimage)))
                .bolt11();
    }

    String holdBolt11(long amount, byte[] preimage) {
        return ((InvoiceResult.Created) nodeWallet.makeHoldInvoice(InvoiceRequest.forJob(amount,
                new JobBinding(job.jobId.hex()), 600), org.fedai.nostr.Sha256.hash(preimage))).bolt11();
    }

    Invoice invoice(String bolt11, long amount, int part, int parts) {
        return new Invoice(job.jobId.hex(), bolt11, amount, part, parts, nowMs / 1000 + 600);
    }

    List<ClientAction> invoiced(Invoice invoice) {
        return feed(new ClientInput.InvoiceReceived(signed(node, FedaiKind.INVOICE), invoice));
    }

    /** Answers every Pay in {@code actions} with what the payer and the wallet make of it, and what follows. */
    List<ClientAction> payAll(List<ClientAction> actions) {
        List<ClientAction> all = new ArrayList<>(actions);
        List<ClientAction.Pay> asked = of(actions, ClientAction.Pay.class);
        for (ClientAction.Pay p : asked) {
            all.addAll(payAll(feed(new ClientInput.PayAnswered(p, payer.pay(job.jobId, p.bolt11(), p.amount())))));
        }
        return all;
    }

    static <T extends ClientAction> List<T> of(List<ClientAction> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    ClientJob.State lastJournaledState() {
        List<ClientAction.RecordState> states = of(taken, ClientAction.RecordState.class);
        return states.get(states.size() - 1).state();
    }

    static byte[] random32() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        journal.close();
        network.close();
    }
}
