package org.fedai.roles.nip90;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.pool.RelayPort;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.Invoice;
import org.fedai.protocol.Rejection;
import org.fedai.protocol.nip90.Nip90Request;
import org.fedai.protocol.nip90.Nip90RequestCodec;
import org.fedai.protocol.nip90.Nip90Status;
import org.fedai.roles.client.ClientConfig;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.ResumedJob;
import org.fedai.roles.common.Counters;
import org.fedai.roles.router.RouterRole;
import org.fedai.store.ClientJournal;
import org.fedai.store.Nip90Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets NIP-90 (Data Vending Machine) clients use fedai unchanged (event-kinds/nip90.md). Beside a router, the gateway
 * takes 5050/5700/5701 requests, checks the bid against what the router's cheapest capable node charges, and routes
 * each as a fedai job of timing {@code external} through a client role of its own: the node's invoice goes to the
 * customer in a 7000 {@code payment-required}, the customer pays the node directly, the node reveals the preimage
 * once its wallet shows it settled, and the router verifies that proof exactly as any other before ordering the work.
 * The gateway holds no wallet. Every request taken is journalled before the first feedback, so a restart answers it.
 */
public final class Nip90Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Nip90Gateway.class);
    /** How far back a (re)start reads requests: relays deliver what arrived while the gateway was down. */
    static final long SINCE_MARGIN_SECONDS = 120;

    /**
     * @param defaultModels the model per request kind when a request names none
     * @param deliverWithin how long a job may take, the customer's payment included
     * @param onlyNodes     the nodes the gateway routes to (empty: every live node of its router); a node run alone
     *                      with {@code fedai node --nip90} names itself
     */
    public record Config(KeyPair keys, Map<Integer, String> defaultModels, Duration deliverWithin,
            Duration publishDeadline, String name, String about, Set<PublicKey> onlyNodes, InstantSource clock) {
        public Config {
            defaultModels = Map.copyOf(defaultModels);
            onlyNodes = Set.copyOf(onlyNodes);
        }

        public static Config of(KeyPair keys, Map<Integer, String> defaultModels) {
            return new Config(keys, defaultModels, Duration.ofSeconds(300), Duration.ofSeconds(10), "fedai",
                    "fedai: federated compute on Nostr; pay the node's invoice, the router verifies it", Set.of(),
                    InstantSource.system());
        }

        public Config servingOnly(Set<PublicKey> nodes, String newName, String newAbout) {
            return new Config(keys, defaultModels, deliverWithin, publishDeadline, newName, newAbout, nodes, clock);
        }
    }

    private final Config config;
    private final RouterRole router;
    private final RelayPort pool;
    private final Nip90Journal journal;
    private final ClientJournal clientJournal;
    private final Nip90Answers answers;
    private final Counters counters = new Counters();
    private final Map<CompletableFuture<JobOutcome>, EventId> requestOfJob = new ConcurrentHashMap<>();
    private final ExecutorService work = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("nip90-gateway")
            .daemon().factory());
    private final List<Subscription> subscriptions = new ArrayList<>();
    private ClientRole client;

    public Nip90Gateway(Config config, RouterRole router, RelayPort pool, Nip90Journal journal,
            ClientJournal clientJournal) {
        this.config = config;
        this.router = router;
        this.pool = pool;
        this.journal = journal;
        this.clientJournal = clientJournal;
        this.answers = new Nip90Answers(config.keys(), pool, config.publishDeadline(), config.clock(), counters);
    }

    public PublicKey publicKey() {
        return PublicKey.of(config.keys().publicKey());
    }

    /** Requests refused, answered and failed, by reason ({@code 5050:malformed_tag}, {@code 7000:payment-required}). */
    public Counters counters() {
        return counters;
    }

    public List<Nip90Journal.Request> requests() {
        return journal.all();
    }

    public Nip90Gateway start() throws InterruptedException {
        router.admitExternalPayer(publicKey());
        client = new ClientRole(new ClientConfig(config.keys(), List.of(router.publicKey()),
                config.publishDeadline(), config.publishDeadline(), config.clock()), pool, new NoFundsWallet(),
                clientJournal);
        client.payExternally((job, invoice) -> work.execute(() -> onInvoice(job, invoice)));
        client.start();
        for (ResumedJob resumed : client.resumed()) {
            journal.byJob(resumed.jobId()).ifPresent(r -> follow(r.requestId(), resumed.outcome()));
        }
        long now = now();
        for (Nip90Journal.Request open : journal.open()) {
            if (open.jobId().isEmpty()) {
                work.execute(() -> route(open.requestId(), open.requestJson())); // crashed before it was routed
            }
        }
        subscriptions.add(pool.subscribe(List.of(Filter.builder().kinds(Nip90Tasks.KINDS.toArray(Integer[]::new))
                .since(now - SINCE_MARGIN_SECONDS).build()),
                (event, relay) -> work.execute(() -> onRequest(event))));
        answers.announce(config.name(), config.about(), router.publicKey(), now);
        return this;
    }

    // ---- requests ---------------------------------------------------------------------------------------------

    void onRequest(Event event) {
        Decoded<Nip90Request> decoded = Nip90RequestCodec.decode(event, config.keys(), now());
        if (decoded instanceof Decoded.Rejected<Nip90Request> r) {
            counters.count(event.kind(), r.rejection().reason().code());
            // encrypted to someone else, or addressed to other providers: not ours to answer
            if (r.rejection().reason() != Rejection.Reason.NOT_FOR_US && !addressedElsewhere(event)) {
                answers.errorUnparsed(event, "malformed", r.rejection().toString());
            }
            return;
        }
        Nip90Request request = decoded.orElseThrow();
        Set<String> nodes = namedNodes(request);
        if (!request.providers().isEmpty() && !request.addressedTo(publicKey().hex()) && nodes.isEmpty()) {
            counters.count(event.kind(), "not_for_us");
            return;
        }
        if (!journal.take(EventId.of(request.id()), request.requestJson(), now())) {
            counters.count(event.kind(), "replay");
            return;
        }
        route(request, nodes);
    }

    private void route(EventId requestId, String requestJson) {
        try {
            Decoded<Nip90Request> again = Nip90RequestCodec.decode(EventJson.parse(requestJson), config.keys(), now());
            if (again instanceof Decoded.Accepted<Nip90Request> a) {
                route(a.value(), namedNodes(a.value()));
            } else {
                journal.finish(requestId, Nip90Journal.State.FAILED, "expired while the gateway was down", now());
            }
        } catch (MalformedEventException e) {
            journal.finish(requestId, Nip90Journal.State.FAILED, "unreadable journal entry", now());
        }
    }

    private void route(Nip90Request request, Set<String> named) {
        Set<String> nodes = targets(named);
        Nip90Tasks.Mapping probe = Nip90Tasks.map(request, config.defaultModels(), Msat.of(Long.MAX_VALUE),
                config.deliverWithin().toSeconds(), nodes);
        if (probe instanceof Nip90Tasks.Mapping.Refused r) {
            refuse(request, r.reason(), r.detail(), OptionalLong.empty());
            return;
        }
        var submission = ((Nip90Tasks.Mapping.Job) probe).submission();
        OptionalLong price = router.cheapestTotal(submission.specAt(now()), publicKey()).stream()
                .mapToLong(Msat::value).findFirst();
        if (price.isEmpty()) {
            refuse(request, "no_capable_node", "no live node serves " + submission.model() + " for "
                    + submission.task() + (nodes.isEmpty() ? "" : " among the nodes it may use"), OptionalLong.empty());
            return;
        }
        if (request.bidMsat().isPresent() && request.bidMsat().getAsLong() < price.getAsLong()) {
            refuse(request, "bid_below_price", "the bid " + request.bidMsat().getAsLong() + " msat is below the price "
                    + price.getAsLong() + " msat", price);
            return;
        }
        long max = request.bidMsat().orElse(price.getAsLong());
        var job = ((Nip90Tasks.Mapping.Job) Nip90Tasks.map(request, config.defaultModels(), Msat.of(max),
                config.deliverWithin().toSeconds(), nodes)).submission();
        answers.feedback(request, Nip90Status.PROCESSING, "routing to a node", OptionalLong.empty(), "");
        CompletableFuture<JobOutcome> outcome = client.submit(job);
        follow(EventId.of(request.id()), outcome);
    }

    private void follow(EventId requestId, CompletableFuture<JobOutcome> outcome) {
        requestOfJob.put(outcome, requestId);
        outcome.whenComplete((out, error) -> work.execute(() -> finish(requestId, out, error)));
    }

    // ---- payment and result -----------------------------------------------------------------------------------

    private void onInvoice(CompletableFuture<JobOutcome> job, Invoice invoice) {
        EventId requestId = requestOfJob.get(job);
        if (requestId == null) {
            requestId = journal.byJob(JobId.of(invoice.jobId())).map(Nip90Journal.Request::requestId).orElse(null);
        }
        Nip90Request request = requestId == null ? null : reread(requestId);
        if (request == null) {
            counters.count(FedaiKind.INVOICE, "no_request");
            return;
        }
        journal.recordInvoice(EventId.of(request.id()), JobId.of(invoice.jobId()), invoice.bolt11(),
                Msat.of(invoice.amountMsat()), now());
        answers.feedback(request, Nip90Status.PAYMENT_REQUIRED, "pay the node's invoice; the router verifies it",
                OptionalLong.of(invoice.amountMsat()), invoice.bolt11());
    }

    private void finish(EventId requestId, JobOutcome out, Throwable error) {
        requestOfJob.values().remove(requestId);
        Nip90Request request = reread(requestId);
        Nip90Journal.Request row = journal.request(requestId).orElse(null);
        if (request == null || row == null || row.state() != Nip90Journal.State.OPEN) {
            return;
        }
        if (error == null && out.succeeded()) {
            // the customer paid the node's invoice in full (the node runs only once its wallet shows it settled), and
            // a run_on_payment result may come before the reveal that journals it: the amount is the invoice's
            OptionalLong amount = OptionalLong.of(out.nodePrice().value());
            String resultId = answers.result(request, out.output(), amount, row.bolt11());
            if (resultId == null) {
                refuse(request, "result_too_large", "the result does not fit one event", OptionalLong.empty());
                return;
            }
            answers.feedback(request, Nip90Status.SUCCESS, "", amount, "");
            journal.finish(requestId, Nip90Journal.State.ANSWERED, resultId, now());
            return;
        }
        String why = error != null ? error.toString() : out.failure();
        String reason = row.bolt11().isEmpty() ? refusalReason(why)
                : clientJournalPaid(row) ? "node_failed" : "payment_timeout";
        refuse(request, reason, why, OptionalLong.empty());
    }

    private boolean clientJournalPaid(Nip90Journal.Request row) {
        return clientJournal.payment(row.bolt11()).isPresent();
    }

    /** A router refusal carries its code; anything else before an invoice is the market's failure to route. */
    private static String refusalReason(String why) {
        int at = why.indexOf("router refused: ");
        if (at >= 0) {
            String code = why.substring(at + "router refused: ".length()).split("[ (]", 2)[0];
            return code.equals("over_max_price") ? "bid_below_price" : code;
        }
        return "no_capable_node";
    }

    private void refuse(Nip90Request request, String reason, String detail, OptionalLong amount) {
        counters.count(request.kind(), reason);
        answers.feedback(request, Nip90Status.ERROR, reason + ": " + detail, amount, "");
        journal.take(EventId.of(request.id()), request.requestJson(), now()); // refusals are journalled too: answered once
        journal.finish(EventId.of(request.id()), Nip90Journal.State.FAILED, reason, now());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private Nip90Request reread(EventId requestId) {
        return journal.request(requestId).map(r -> {
            try {
                return Nip90RequestCodec.decode(EventJson.parse(r.requestJson()), config.keys(), 0);
            } catch (MalformedEventException e) {
                return null;
            }
        }).filter(d -> d instanceof Decoded.Accepted<Nip90Request>).map(Decoded::orElseThrow).orElse(null);
    }

    /**
     * The request's providers that are live nodes of this router (and among {@code onlyNodes}, when set): the job
     * goes only to them.
     */
    private Set<String> namedNodes(Nip90Request request) {
        Set<String> live = router.registry().live().stream().map(n -> n.pubkey().hex()).collect(Collectors.toSet());
        Set<String> only = hex(config.onlyNodes());
        return request.providers().stream().filter(live::contains)
                .filter(p -> only.isEmpty() || only.contains(p))
                .collect(Collectors.toSet());
    }

    /** Where a job may go: the nodes the request named, else the gateway's own nodes (empty: any). */
    private Set<String> targets(Set<String> named) {
        return named.isEmpty() ? hex(config.onlyNodes()) : named;
    }

    /** The request's providers and the job's allowed nodes are wire values: hex keys. */
    private static Set<String> hex(Set<PublicKey> keys) {
        return keys.stream().map(PublicKey::hex).collect(Collectors.toSet());
    }

    private boolean addressedElsewhere(Event event) {
        List<String> providers = event.tags().stream().filter(t -> t.size() > 1 && t.get(0).equals("p"))
                .map(t -> t.get(1)).toList();
        return !providers.isEmpty() && !providers.contains(publicKey().hex());
    }

    private long now() {
        return config.clock().instant().getEpochSecond();
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        work.shutdownNow();
        if (client != null) {
            client.close();
        }
    }
}
