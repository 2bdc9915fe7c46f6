package org.fedai.nostr.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.fedai.nostr.ClientMessage;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventKindClass;
import org.fedai.nostr.Filter;
import org.fedai.nostr.Json;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.Nip01Messages;
import org.fedai.nostr.RelayMessage;

/**
 * NIP-01 (with NIP-09, NIP-40, NIP-42) on the relay side, apart from the sockets: one client message in, replies to
 * that client and deliveries to every matching subscription out. Bad input is answered and counted, never thrown.
 */
final class RelayHandler {

    private final RelayConfig config;
    private final EventStore store;
    private final RelayStats stats;
    private final EventAdmission admission;
    private final Set<ClientSession> sessions;
    private final Supplier<String> relayUrl;
    private final LiveDelivery live;

    RelayHandler(RelayConfig config, EventStore store, RelayStats stats, Set<ClientSession> sessions,
            Supplier<String> relayUrl, LiveDelivery live) {
        this.config = config;
        this.store = store;
        this.stats = stats;
        this.admission = new EventAdmission(config);
        this.sessions = sessions;
        this.relayUrl = relayUrl;
        this.live = live;
    }

    void onText(ClientSession session, String text) {
        int bytes = text.length() * 3 <= config.limits().maxMessageBytes() ? text.length()
                : EventAdmission.utf8Length(text);
        ClientMessage message;
        try {
            message = Nip01Messages.parseClientMessage(text);
        } catch (MalformedEventException e) {
            malformed(session, text, e.getMessage());
            return;
        }
        try {
            switch (message) {
                case ClientMessage.Publish p -> publish(session, p.event(), bytes);
                case ClientMessage.Req r -> request(session, r, bytes);
                case ClientMessage.Close c -> session.unsubscribe(c.subscriptionId());
                case ClientMessage.Auth a -> authenticate(session, a.event());
            }
        } catch (RuntimeException e) {
            // A store failure must not take the connection down: tell the client, count it, carry on.
            stats.countRejected(RejectReason.STORE_ERROR);
            String detail = RejectReason.STORE_ERROR.message("internal error: " + e.getClass().getSimpleName());
            switch (message) {
                case ClientMessage.Publish p -> session.send(new RelayMessage.Ok(p.event().id(), false, detail));
                case ClientMessage.Req r -> {
                    session.unsubscribe(r.subscriptionId());
                    session.send(new RelayMessage.Closed(r.subscriptionId(), detail));
                }
                default -> notice(session, detail);
            }
        }
    }

    private void publish(ClientSession session, Event event, int bytes) {
        long nowSeconds = config.clock().instant().getEpochSecond();
        Rejection rejection = admission.check(event, bytes, session, nowSeconds, System.nanoTime());
        if (rejection != null) {
            refuse(session, event, rejection);
            return;
        }
        if (event.kindClass() == EventKindClass.EPHEMERAL) {
            accept(session, event, "");
            return;
        }
        switch (store.save(event)) {
            case STORED -> {
                if (Nip09Deletion.isDeletion(event)) {
                    store.delete(Nip09Deletion.targets(event));
                }
                accept(session, event, "");
            }
            case DUPLICATE -> answerDuplicate(session, event, RejectReason.DUPLICATE, "already have this event");
            case NEWER_VERSION_STORED -> answerDuplicate(session, event, RejectReason.NEWER_VERSION_STORED,
                    "a newer version of this event is stored");
            case DELETED -> refuse(session, event, new Rejection(RejectReason.DELETED, "deleted"));
        }
    }

    private void accept(ClientSession session, Event event, String message) {
        stats.countAccepted();
        session.send(new RelayMessage.Ok(event.id(), true, message));
        live.deliver(event, sessions);
    }

    /** NIP-01 answers a duplicate with OK true: the relay has the event (or better), nothing to retry. */
    private void answerDuplicate(ClientSession session, Event event, RejectReason reason, String detail) {
        stats.countRejected(reason);
        session.send(new RelayMessage.Ok(event.id(), true, reason.message(detail)));
    }

    private void refuse(ClientSession session, Event event, Rejection rejection) {
        stats.countRejected(rejection.reason());
        session.send(new RelayMessage.Ok(event.id(), false, rejection.message()));
    }

    private void request(ClientSession session, ClientMessage.Req req, int bytes) {
        String sub = req.subscriptionId();
        RelayLimits limits = config.limits();
        Rejection rejection = admission.access(session);
        if (rejection == null && bytes > limits.maxMessageBytes()) {
            rejection = new Rejection(RejectReason.TOO_LARGE, "REQ is larger than " + limits.maxMessageBytes()
                    + " bytes");
        }
        if (rejection == null && req.filters().size() > limits.maxFilters()) {
            rejection = new Rejection(RejectReason.TOO_MANY_FILTERS, "at most " + limits.maxFilters()
                    + " filters per REQ");
        }
        if (rejection == null && !session.hasSubscription(sub) && session.subscriptionCount() >= limits.maxSubscriptions()) {
            rejection = new Rejection(RejectReason.TOO_MANY_SUBSCRIPTIONS, "at most " + limits.maxSubscriptions()
                    + " subscriptions per connection");
        }
        if (rejection != null) {
            stats.countRejected(rejection.reason());
            session.unsubscribe(sub);
            session.send(new RelayMessage.Closed(sub, rejection.message()));
            return;
        }
        // Register before reading storage so nothing published meanwhile is missed; Subscription orders the two.
        Subscription subscription = session.subscribe(sub, req.filters());
        subscription.goLive(stored(req.filters()));
    }

    /**
     * Each filter's limit (clamped to maxLimit) bounds what that filter contributes; the union is deduplicated and
     * sent newest first, at most maxLimit in all.
     */
    private List<Event> stored(List<Filter> filters) {
        long now = config.clock().instant().getEpochSecond();
        int maxLimit = config.limits().maxLimit();
        Map<String, Event> union = new LinkedHashMap<>();
        for (Filter f : filters) {
            int limit = f.limit() == null ? maxLimit : Math.min(f.limit(), maxLimit);
            for (Event e : store.query(f, now, limit)) {
                union.putIfAbsent(e.id(), e);
            }
        }
        List<Event> out = new ArrayList<>(union.values());
        out.sort(EventStore::newestFirst);
        return out.size() > maxLimit ? out.subList(0, maxLimit) : out;
    }

    private void authenticate(ClientSession session, Event auth) {
        String problem = config.authRequired()
                ? AuthChallengeCheck.check(auth, session.challenge(), relayUrl.get(),
                        config.clock().instant().getEpochSecond())
                : "this relay sent no AUTH challenge";
        if (problem != null) {
            stats.countRejected(RejectReason.BAD_AUTH);
            session.send(new RelayMessage.Ok(auth.id(), false, RejectReason.BAD_AUTH.message(problem)));
            return;
        }
        session.authenticated(auth.pubkey());
        session.send(new RelayMessage.Ok(auth.id(), true, ""));
    }

    /**
     * NIP-01 wants an OK for every EVENT and a CLOSED for every refused REQ, so when a broken message still shows an
     * event id or a subscription id, the answer goes there; otherwise a NOTICE.
     */
    private void malformed(ClientSession session, String text, String reason) {
        stats.countRejected(RejectReason.MALFORMED);
        String message = RejectReason.MALFORMED.message(reason);
        JsonNode node = null;
        if (text.length() <= config.limits().maxMessageBytes()) {
            try {
                node = Json.MAPPER.readTree(text);
            } catch (Exception e) {
                node = null;
            }
        }
        if (node != null && node.isArray() && node.size() >= 2) {
            String type = node.get(0).asText("");
            JsonNode second = node.get(1);
            if (type.equals("EVENT") && second.isObject() && second.path("id").isTextual()) {
                session.send(new RelayMessage.Ok(second.get("id").asText(), false, message));
                return;
            }
            if (type.equals("REQ") && second.isTextual() && !second.asText().isEmpty()
                    && second.asText().length() <= Nip01Messages.MAX_SUBSCRIPTION_ID_LENGTH) {
                session.unsubscribe(second.asText());
                session.send(new RelayMessage.Closed(second.asText(), message));
                return;
            }
        }
        notice(session, message);
    }

    void notice(ClientSession session, String message) {
        stats.countNotice();
        session.send(new RelayMessage.Notice(message));
    }
}
