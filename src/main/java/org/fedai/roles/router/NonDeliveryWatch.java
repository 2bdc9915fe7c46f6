package org.fedai.roles.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.fedai.domain.EventId;
import org.fedai.domain.JobId;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.Filter;
import org.fedai.nostr.MalformedEventException;
import org.fedai.nostr.pool.AllRelaysStored;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.SlashClaim;
import org.fedai.protocol.SlashClaimCodec;
import org.fedai.roles.trust.SlashClaimVerifier;
import org.fedai.roles.trust.SlashVerdict;
import org.fedai.store.RouterJobRow;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.store.RouterQuoteRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-delivery slashing (event-kinds/4409-slash-claim.md): an ordered job whose deliver_by has passed with no
 * metering record is checked against the relays for a result the node did publish; if none, the router signs a
 * {@code non_delivery} claim citing the node's {@code accepted} status and its own work order, verifies it exactly
 * as any third party would, and only then records the slash and publishes it. A sweep over the ledger (not one
 * timer per job) so that a restart, or a clock that jumps, still finds every overdue job.
 */
final class NonDeliveryWatch {

    private static final Logger LOG = LoggerFactory.getLogger(NonDeliveryWatch.class);
    static final long SWEEP_MS = 1000;
    static final long FETCH_TIMEOUT_MS = 5000;

    private final RouterContext ctx;
    private final Slashes slashes;
    private final Consumer<JobId> outcome;
    private final RouterLedger ledger;
    /** Jobs being checked now, or checked and found delivered (or unprovable): not claimed again this run. */
    private final Set<JobId> settled = ConcurrentHashMap.newKeySet();

    /** {@code outcome} hears of each job this watch ends (slashed). */
    NonDeliveryWatch(RouterContext ctx, Slashes slashes, Consumer<JobId> outcome) {
        this.ctx = ctx;
        this.slashes = slashes;
        this.outcome = outcome;
        this.ledger = ctx.ledger();
    }

    /** On the role's thread: starts a check for every ordered job past its deliver_by. */
    void sweep() {
        long now = ctx.nowSeconds();
        for (RouterJobRow job : ledger.jobsIn(RouterJobState.ORDERED)) {
            RouterLedger.WorkOrderRow order = ledger.workOrder(job.jobId()).orElse(null);
            RouterQuoteRow quote = order == null ? null : ledger.quote(order.quoteId()).orElse(null);
            // a hold order (or a before order sent on accepted, for the spare the client paid into) binds the node only
            // once the client's payment is held, which no one but the node sees;
            // a hold payment the router verified (the node settled) binds it as a paid order does
            if (quote == null || now <= quote.deliverBy() || ledger.slashClaim(job.jobId()).isPresent()
                    || (quote.timing() == org.fedai.domain.PaymentTiming.HOLD
                            || quote.timing() == org.fedai.domain.PaymentTiming.PARTIAL
                            || org.fedai.roles.router.machine.RouterTiming.spareSettledOnOrder(quote))
                            && ledger.verifiedHashes(job.jobId(), PaymentCheck.NODE).isEmpty()
                    || !settled.add(job.jobId())) {
                continue;
            }
            fetchResults(job.jobId(), order.node());
        }
    }

    /** Any 4406 the node published for the job: a result the router never metered still refutes the claim. */
    private void fetchResults(JobId jobId, PublicKey node) {
        List<Event> found = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        // a result held by any one relay refutes the claim: wait for every relay's EOSE (or the timeout)
        Subscription[] sub = new Subscription[1];
        Runnable finish = () -> {
            if (done.compareAndSet(false, true)) {
                ctx.execute(() -> {
                    if (sub[0] != null) {
                        sub[0].close();
                    }
                    conclude(jobId, node, List.copyOf(found));
                });
            }
        };
        sub[0] = ctx.pool().subscribe(List.of(Filter.builder().kinds(FedaiKind.JOB_RESULT.number()).authors(node.hex())
                .tag('e', jobId.hex()).build()), new AllRelaysStored((event, relayUrl) -> found.add(event),
                        ctx.pool().relayUrls().size(), finish));
        ctx.schedule(finish, FETCH_TIMEOUT_MS);
    }

    private void conclude(JobId jobId, PublicKey node, List<Event> results) {
        RouterJobRow job = ledger.job(jobId).orElse(null);
        if (job == null || job.state() != RouterJobState.ORDERED) {
            settled.remove(jobId); // metered (or failed) while we looked: nothing to claim
            return;
        }
        List<Event> evidence = new ArrayList<>();
        for (String json : ledger.evidence(jobId)) {
            try {
                evidence.add(EventJson.parse(json));
            } catch (MalformedEventException e) {
                LOG.warn("job {}: unreadable evidence in the ledger", jobId, e);
            }
        }
        long deliverBy = ledger.quote(ledger.workOrder(jobId).orElseThrow().quoteId()).orElseThrow().deliverBy();
        long now = ctx.nowSeconds();
        SlashClaim claim = new SlashClaim(node.hex(), SlashClaim.Reason.NON_DELIVERY,
                evidence.stream().map(Event::id).toList(), jobId.hex(), "",
                "accepted and ordered, no result by deliver_by " + deliverBy);
        Event signed = ctx.sign(SlashClaimCodec.encode(claim, now));
        List<Event> supplied = new ArrayList<>(evidence);
        supplied.addAll(results);
        switch (SlashClaimVerifier.verify(signed, supplied, now)) {
            case SlashVerdict.Invalid invalid -> {
                // never publish what a verifier would refuse: a result it found, or evidence we lack
                ctx.activity().increment("4409:withheld_" + invalid.refusal().code());
                LOG.info("job {}: no slash claim against {}: {} ({})", jobId, node, invalid.refusal().code(),
                        invalid.detail());
            }
            case SlashVerdict.Valid valid -> {
                ledger.recordSlash(jobId, node, EventId.of(signed.id()), EventJson.toJson(signed), now);
                ledger.setState(jobId, RouterJobState.FAILED, "non-delivery: slash claim " + signed.id());
                ledger.debt(jobId).filter(RouterLedger.Debt::open).ifPresent(d -> ledger.clearDebt(jobId, now));
                slashes.slashed(valid);
                ctx.registry().recordNonDelivery(node);
                ctx.publish(signed);
                ctx.activity().increment("4409:sent");
                LOG.warn("job {}: node {} accepted, was ordered and delivered nothing; slash claim {}", jobId, node,
                        signed.id());
                outcome.accept(jobId);
            }
        }
    }
}
