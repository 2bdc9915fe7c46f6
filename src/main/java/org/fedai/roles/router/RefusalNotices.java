package org.fedai.roles.router;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.fedai.domain.JobId;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobStatus;
import org.fedai.roles.common.Counters;

/**
 * Tells a client, in a signed 4405 {@code error} with a reason code, that this router will not route its job
 * (event-kinds/4405-job-status.md), so it fails the job at once instead of waiting for deliver_by. Only for
 * a spec that decoded and verified: a forged or malformed event gets nothing back, so nobody can make the
 * router sign and publish on a stranger's behalf. Notices are capped per client and in all, per minute: a
 * flood of valid specs costs the flooder its answers, not the relays our bandwidth.
 * Runs on the router's thread, like the rest of the job flow.
 */
final class RefusalNotices {

    static final int PER_CLIENT_PER_MINUTE = 10;
    static final int TOTAL_PER_MINUTE = 600;

    private static final Map<String, String> MESSAGES = Map.of(
            "no_capable_node", "no live node serves this model and task",
            "over_max_price", "no capable node fits the spec's max_price_msat with the router's fee",
            "constraints", "no capable node meets the spec's allow, deny and locality constraints",
            "rate_limited", "too many job requests this minute",
            "insufficient_pow", "this router asks new clients for NIP-13 proof of work on the spec",
            "client_denied", "this router does not serve this client",
            "unpaid_debt", "a pay-after-work job of this client is still unpaid",
            "no_node_accepted", "no quoted node accepted the job in time, and no fallback is left",
            "fee_invoice_failed", "the router's wallet could not make its fee invoice");

    private final KeyPair keys;
    private final InstantSource clock;
    private final Consumer<Event> publisher;
    private final Counters counters;
    private final Counters activity;
    private final Cache<PublicKey, AtomicInteger> perClient;
    private long windowStartMs;
    private int inWindow;

    RefusalNotices(KeyPair keys, InstantSource clock, Consumer<Event> publisher, Counters counters,
            Counters activity) {
        this.keys = keys;
        this.clock = clock;
        this.publisher = publisher;
        this.counters = counters;
        this.activity = activity;
        this.perClient = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).build();
    }

    /** Publishes the refusal of job {@code jobId} to {@code client}, unless a cap says to stay silent. */
    void send(JobId jobId, PublicKey client, String reason) {
        String code = JobStatus.validReason(reason) ? reason : "refused";
        if (!withinCaps(client)) {
            counters.increment("4405:refusal_notice_capped");
            return;
        }
        JobStatus refusal = new JobStatus(jobId.hex(), client.hex(), keys.publicKey(), JobStatus.State.ERROR,
                MESSAGES.getOrDefault(code, "the router will not route this job"), code);
        publisher.accept(EventSigner.sign(JobProgressCodecs.encodeStatus(refusal, clock.millis() / 1000), keys));
        activity.increment("4405:refused");
    }

    private boolean withinCaps(PublicKey client) {
        long now = clock.millis();
        if (now - windowStartMs >= 60_000) {
            windowStartMs = now;
            inWindow = 0;
        }
        if (inWindow >= TOTAL_PER_MINUTE) {
            return false;
        }
        if (perClient.get(client, k -> new AtomicInteger()).incrementAndGet() > PER_CLIENT_PER_MINUTE) {
            return false;
        }
        inWindow++;
        return true;
    }
}
