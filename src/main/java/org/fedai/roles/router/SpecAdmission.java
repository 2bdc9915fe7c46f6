package org.fedai.roles.router;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.Nip13;
import org.fedai.protocol.JobRequest;
import org.fedai.roles.router.machine.Offer;

/**
 * Whether this router takes a valid spec at all, before any job exists (event-kinds/4400-job-request.md): replays,
 * denied clients, probation, proof of work for strangers, the per-client rate, open debts, and whether any node
 * can do it. A refusal says whether the client is told (a 4405 error) or left to its quote timeout.
 */
final class SpecAdmission {

    sealed interface Verdict {
    }

    /** {@code feeCredit}: the fees the router may trust the client with until it proves them (RouterLedger). */
    record Admitted(List<Offer> ranked, Msat feeCredit) implements Verdict {
    }

    /** {@code tellClient}: answer with a refusal notice; otherwise stay silent (counted all the same). */
    record Refused(String reason, boolean tellClient) implements Verdict {
    }

    private final RouterConfig config;
    private final org.fedai.store.RouterLedger ledger;
    private final RouterMarket market;
    private final Probation probation;
    private final Set<PublicKey> externalPayers;
    private final Cache<PublicKey, AtomicInteger> ratePerClient;

    /** {@code probation} null: none; {@code externalPayers}: this router's own NIP-90 gateways (live set). */
    SpecAdmission(RouterConfig config, org.fedai.store.RouterLedger ledger, RouterMarket market, Probation probation,
            Set<PublicKey> externalPayers) {
        this.config = config;
        this.ledger = ledger;
        this.market = market;
        this.probation = probation;
        this.externalPayers = externalPayers;
        this.ratePerClient = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(config.clock().millis())).build();
    }

    Verdict admit(Event event, JobRequest.Spec spec, long nowSeconds) {
        JobId jobId = JobId.of(event.id());
        if (!ledger.markSpecSeen(jobId, nowSeconds)) {
            return new Refused("replay", false);
        }
        PublicKey client = PublicKey.of(event.pubkey());
        int pow = config.policy().powDifficulty();
        String onProbation = probation == null ? null : probation.refusal(jobId, spec);
        boolean ownGateway = externalPayers.contains(client);
        if (ownGateway && "probation_share".equals(onProbation)) {
            // the share spreads strangers' specs over routers; this router's own NIP-90 gateway has no other router
            // to fail over to, so only the probation caps apply to it
            onProbation = null;
        }
        if (config.deniedClients().contains(client)) {
            return new Refused("client_denied", true);
        } else if (spec.timing() == PaymentTiming.EXTERNAL && !ownGateway) {
            // fee-free, proved by the node's reveal: only for this router's own NIP-90 gateway
            return new Refused("external_not_allowed", true);
        } else if (onProbation != null) {
            // a router in probation answers a share of small specs only: silent to strangers, whose quote timeout
            // moves them to their next router, but the gateway tells its customer at once
            return new Refused(onProbation, ownGateway);
        } else if (pow > 0 && !ledger.knownClient(client) && Nip13.check(event, pow) != Nip13.Check.OK) {
            // spam guard: a client this router has never metered a job for pays in work up front (NIP-13)
            return new Refused("insufficient_pow", true);
        } else if (!withinRate(client)) {
            return new Refused("rate_limited", true);
        } else if (ledger.hasOpenDebt(client)) {
            return new Refused("unpaid_debt", true);
        }
        RouterMarket.Offers offers = market.offers(jobId, client, spec, Set.of(), false);
        if (offers.ranked().isEmpty()) {
            return new Refused(offers.refusal(), true);
        }
        // a client never metered here may owe the router's newcomer allowance: its first jobs go the fast way too
        Msat allowance = ledger.knownClient(client) ? Msat.ZERO : config.newcomerFeeCredit();
        Msat credit = spec.timing() == PaymentTiming.BEFORE ? ledger.feeCredit(client, allowance) : Msat.ZERO;
        return new Admitted(offers.ranked(), credit);
    }

    /** False when the client has used up this minute's share. */
    private boolean withinRate(PublicKey client) {
        int max = config.policy().maxJobsPerMinute();
        return max <= 0 || ratePerClient.get(client, k -> new AtomicInteger()).incrementAndGet() <= max;
    }
}
