package org.fedai.payment.nwc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.EventVerifier;
import org.fedai.nostr.Filter;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip40;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wallet-service side of NIP-47, independent of how events travel ({@link NwcTransport}). It
 * publishes its 13194 info event, answers 23194 requests from authorised client keys with 23195
 * responses, and turns the backend's settlements into 23197 notifications.
 *
 * <p>A request id is answered once: its id is remembered for the replay window and a second copy (another relay,
 * a replay attack) is never carried out, so a payment is never made twice; the response event itself is kept for
 * a shorter resend window and re-sent as-is to a copy that arrives within it. Requests older than the replay window
 * are refused, so an id cannot outlive its memory. Both memories are bounded in time and in entries, so the heap
 * stays flat however many requests a long-running service answers.
 */
public final class NwcWalletService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NwcWalletService.class);

    /** Everything the service refused or did, for metrics and tests. */
    public enum Counter {
        ANSWERED, REPLAYED, UNAUTHORIZED, NOT_IMPLEMENTED, MALFORMED, UNSUPPORTED_ENCRYPTION, EXPIRED, STALE,
        BAD_SIGNATURE, NOT_FOR_US, WALLET_ERROR, INTERNAL_ERROR, NOTIFICATIONS_SENT, PUBLISH_FAILED
    }

    /**
     * @param replayWindow  how long answered request ids are kept; older requests are refused
     * @param maxClockSkew  how far in the future a request's created_at may be
     * @param executor      where backend calls run (they may block)
     */
    public record Config(Duration replayWindow, Duration maxClockSkew, Executor executor) {
        /** 15 min replay window (clients give requests a NIP-40 expiration of seconds), 5 min clock skew. */
        public static Config defaults() {
            return new Config(Duration.ofMinutes(15), Duration.ofMinutes(5), Executors.newVirtualThreadPerTaskExecutor());
        }
    }

    /** How long an answer is kept to re-send to a copy of its request (a second relay delivers within seconds). */
    static final Duration RESEND_WINDOW = Duration.ofMinutes(2);
    /** Bounds under a flood: ids are small (about 150 bytes each), responses a few KB. */
    static final long MAX_REMEMBERED_IDS = 1_000_000;
    static final long MAX_KEPT_RESPONSES = 50_000;

    private static final List<NwcMethod> METHODS = List.of(NwcMethod.values());
    private static final List<String> NOTIFICATIONS = Arrays.stream(NwcNotificationType.values())
            .map(NwcNotificationType::wire).toList();

    private final NwcTransport transport;
    private final KeyPair keys;
    private final Set<String> authorised = ConcurrentHashMap.newKeySet();
    private final WalletBackend backend;
    private final Clock clock;
    private final Config config;
    private final Cache<String, Boolean> seen;
    private final Cache<String, CompletableFuture<Event>> answered;
    private final Map<Counter, LongAdder> counters = new EnumMap<>(Counter.class);
    private final List<AutoCloseable> handles = new ArrayList<>();

    public NwcWalletService(NwcTransport transport, KeyPair serviceKeys, Collection<String> authorisedClients,
            WalletBackend backend, Clock clock, Config config) {
        this.transport = transport;
        this.keys = serviceKeys;
        this.authorised.addAll(authorisedClients);
        this.backend = backend;
        this.clock = clock;
        this.config = config;
        com.github.benmanes.caffeine.cache.Ticker ticker = () -> java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                clock.millis());
        this.seen = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
                .expireAfterWrite(config.replayWindow().plus(config.maxClockSkew()))
                .maximumSize(MAX_REMEMBERED_IDS).build();
        this.answered = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).expireAfterWrite(RESEND_WINDOW)
                .maximumSize(MAX_KEPT_RESPONSES).build();
        for (Counter c : Counter.values()) {
            counters.put(c, new LongAdder());
        }
    }

    /** Publishes the info event, then listens for requests and settlements. */
    public synchronized NwcWalletService start() {
        List<String> capabilities = new ArrayList<>(METHODS.stream().map(NwcMethod::wire).toList());
        capabilities.add("notifications");
        NwcInfo info = new NwcInfo(capabilities, List.of(NwcEncryption.NIP44_V2), NOTIFICATIONS);
        publish(EventSigner.sign(Nip47.infoEvent(info, now()), keys));
        handles.add(transport.subscribe(Filter.builder().kinds(Nip47.REQUEST_KIND).tag('p', keys.publicKey())
                .since(now() - config.maxClockSkew().toSeconds()).build(), this::onRequest));
        handles.add(backend.onSettlement(this::onSettlement));
        return this;
    }

    public String pubkey() {
        return keys.publicKey();
    }

    /** Issues a connection for a new account: a fresh client secret whose pubkey becomes authorised. */
    public NwcUri issueConnection(List<String> relays, String lud16) {
        NwcUri uri = NwcUri.issue(keys.publicKey(), relays, lud16);
        authorised.add(uri.clientKeys().publicKey());
        return uri;
    }

    public void authorise(String clientPubkey) {
        authorised.add(clientPubkey);
    }

    public void revoke(String clientPubkey) {
        authorised.remove(clientPubkey);
    }

    /** Request ids remembered against replays, and responses kept to re-send: both bounded (see the class). */
    public long rememberedIds() {
        seen.cleanUp();
        return seen.estimatedSize();
    }

    public long keptResponses() {
        answered.cleanUp();
        return answered.estimatedSize();
    }

    public long count(Counter counter) {
        return counters.get(counter).sum();
    }

    private void onRequest(Event request) {
        if (request.kind() != Nip47.REQUEST_KIND || !request.firstTagValue("p").orElse("").equals(keys.publicKey())) {
            count(Counter.NOT_FOR_US, request);
            return;
        }
        if (!EventVerifier.isValid(request)) {
            count(Counter.BAD_SIGNATURE, request);
            return;
        }
        long now = now();
        // expiry and staleness only ever grow with time, so they are checked before the replay memory
        if (request.createdAt() < now - config.replayWindow().toSeconds()
                || request.createdAt() > now + config.maxClockSkew().toSeconds()) {
            count(Counter.STALE, request);
            return;
        }
        if (Nip40.isExpired(request, now)) {
            count(Counter.EXPIRED, request);
            return;
        }
        if (seen.asMap().putIfAbsent(request.id(), Boolean.TRUE) != null) {
            count(Counter.REPLAYED, request);
            CompletableFuture<Event> earlier = answered.getIfPresent(request.id());
            if (earlier != null) {
                earlier.thenAccept(this::publish);
            }
            return;
        }
        CompletableFuture<Event> response = new CompletableFuture<>();
        answered.put(request.id(), response);
        config.executor().execute(() -> {
            Event answer;
            try {
                answer = Nip47.response(answer(request), keys, request.pubkey(), request.id(), now());
            } catch (RuntimeException e) {
                // only signing/encrypting to a bad key lands here; nothing can be sent back
                LOG.warn("cannot answer NWC request {}: {}", request.id(), e.toString());
                count(Counter.INTERNAL_ERROR, request);
                seen.invalidate(request.id());
                answered.invalidate(request.id());
                response.completeExceptionally(e);
                return;
            }
            response.complete(answer);
            publish(answer);
        });
    }

    private NwcResponse answer(Event request) {
        String method = "";
        NwcEncryption encryption;
        try {
            encryption = Nip47.requestEncryption(request);
        } catch (Nip47Exception unknownScheme) {
            count(Counter.UNSUPPORTED_ENCRYPTION, request);
            return NwcResponse.failure(method, NwcErrorCode.UNSUPPORTED_ENCRYPTION, unknownScheme.getMessage());
        }
        NwcRequest parsed = null;
        Nip47Exception refusal = null;
        try {
            parsed = Nip47.openRequest(request, keys);
            method = parsed.method().wire();
        } catch (Nip47Exception e) {
            refusal = e;
            method = e.method() == null ? "" : e.method();
        }
        if (!authorised.contains(request.pubkey())) {
            count(Counter.UNAUTHORIZED, request);
            return NwcResponse.failure(method, NwcErrorCode.UNAUTHORIZED, "no wallet is connected to this key");
        }
        if (encryption != NwcEncryption.NIP44_V2) {
            // NIP-04 is read but never written, so a legacy request cannot get a readable answer
            count(Counter.UNSUPPORTED_ENCRYPTION, request);
            return NwcResponse.failure(method, NwcErrorCode.UNSUPPORTED_ENCRYPTION,
                    "this wallet service speaks nip44_v2 only");
        }
        if (refusal != null) {
            if (refusal.reason() == Nip47Exception.Reason.UNKNOWN_METHOD) {
                count(Counter.NOT_IMPLEMENTED, request);
                return NwcResponse.failure(method, NwcErrorCode.NOT_IMPLEMENTED, "method " + method + " is not implemented");
            }
            count(Counter.MALFORMED, request);
            return NwcResponse.failure(method, NwcErrorCode.OTHER, "malformed request: " + refusal.getMessage());
        }
        try {
            NwcResponse response = NwcResponse.success(parsed.method(), execute(request.pubkey(), parsed));
            count(Counter.ANSWERED, request);
            return response;
        } catch (NwcException e) {
            count(Counter.WALLET_ERROR, request);
            NwcErrorCode code = e.walletCode().orElse(NwcErrorCode.INTERNAL);
            LOG.info("NWC {} {}: {} {}", method, request.id(), code, e.detail()); // a held payment's answer too
            return NwcResponse.failure(method, code, e.detail());
        } catch (RuntimeException e) {
            LOG.warn("wallet backend failed on {}: {}", method, e.toString());
            count(Counter.INTERNAL_ERROR, request);
            return NwcResponse.failure(method, NwcErrorCode.INTERNAL, "internal wallet error");
        }
    }

    private NwcResult execute(String account, NwcRequest request) {
        return switch (request) {
            case NwcRequest.PayInvoice r -> backend.payInvoice(account, r);
            case NwcRequest.MakeInvoice r -> new NwcResult.Transaction(backend.makeInvoice(account, r));
            case NwcRequest.LookupInvoice r -> new NwcResult.Transaction(backend.lookupInvoice(account, r));
            case NwcRequest.GetBalance r -> new NwcResult.Balance(backend.balanceMsat(account));
            case NwcRequest.GetInfo r -> new NwcResult.Info("fedai", null, backend.nodeId(account), backend.network(), null, null,
                    METHODS.stream().map(NwcMethod::wire).toList(), NOTIFICATIONS);
            case NwcRequest.ListTransactions r -> new NwcResult.Transactions(backend.listTransactions(account, r));
            case NwcRequest.MakeHoldInvoice r -> new NwcResult.Transaction(backend.makeHoldInvoice(account, r));
            case NwcRequest.SettleHoldInvoice r -> {
                backend.settleHoldInvoice(account, r.preimage());
                yield new NwcResult.Empty();
            }
            case NwcRequest.CancelHoldInvoice r -> {
                backend.cancelHoldInvoice(account, r.paymentHash());
                yield new NwcResult.Empty();
            }
        };
    }

    private void onSettlement(WalletBackend.Settlement settlement) {
        if (!authorised.contains(settlement.account())) {
            return;
        }
        try {
            publish(Nip47.notification(settlement.notification(), keys, settlement.account(), now()));
            counters.get(Counter.NOTIFICATIONS_SENT).increment();
        } catch (RuntimeException e) {
            LOG.warn("cannot notify {}: {}", settlement.account(), e.toString());
            counters.get(Counter.INTERNAL_ERROR).increment();
        }
    }

    private void publish(Event event) {
        transport.publish(event).whenComplete((ok, error) -> {
            if (error != null) {
                counters.get(Counter.PUBLISH_FAILED).increment();
                LOG.debug("NWC publish of {} failed: {}", event.id(), error.toString());
            }
        });
    }

    private void count(Counter counter, Event request) {
        counters.get(counter).increment();
        if (counter == Counter.ANSWERED) {
            LOG.debug("NWC request {} from {}: {}", request.id(), request.pubkey(), counter);
        } else {
            LOG.info("NWC request {} from {} refused: {}", request.id(), request.pubkey(), counter);
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable handle : handles) {
            try {
                handle.close();
            } catch (Exception e) {
                LOG.debug("closing NWC handle failed: {}", e.toString());
            }
        }
        handles.clear();
    }
}
