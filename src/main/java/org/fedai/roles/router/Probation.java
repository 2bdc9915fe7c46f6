package org.fedai.roles.router;

import org.fedai.domain.PublicKey;
import java.time.InstantSource;
import java.util.function.LongSupplier;
import org.fedai.domain.JobId;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventJson;
import org.fedai.nostr.MalformedEventException;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.RouterAnnouncement.ProbationState;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.roles.trust.BondedStakeView;
import org.fedai.store.RouterProbationJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A router's probation (issue "Trust and the control plane"): until it has completed {@code requiredJobs} metered
 * jobs AND holds {@code requiredStakeUnits} of effective 31402 stake bonded to its own key, it answers only a
 * {@code sharePpm} share of the specs it sees, and only small ones. Which specs fall in the share is decided by
 * sha256(job id, router key), so it is deterministic (a replayed spec meets the same answer) and differs between
 * routers (several routers in probation do not all drop the same specs, so a client failing over finds one that
 * answers). Stake must be held, not merely once shown: a router whose bonds decay or expire below the requirement
 * is back in probation. The bonds it counted and its state are journaled, so a restart resumes in the same
 * standing before any relay has sent a bond again.
 */
public final class Probation {

    private static final Logger LOG = LoggerFactory.getLogger(Probation.class);
    /** Bond units are abstract; a cap this high keeps the view's per-node weight out of the way. */
    private static final double NO_CAP = 1e15;

    private final ProbationTerms terms;
    private final PublicKey routerPubkey;
    private final RouterBenchmarks benchmarks;
    private final String benchmarksCommitment;
    private final RouterProbationJournal journal;
    private final LongSupplier completedJobs;
    private final InstantSource clock;
    private final BondedStakeView stake;
    private volatile ProbationState state;

    /**
     * @param admitted        the figures measured at start, already checked against {@link RouterMinimums}
     * @param commitment      {@link RouterBenchmarks#commitment} of them (its salt journaled by the caller)
     * @param completedJobs   the router's metered jobs ({@code ledger.totals().metered()})
     */
    public Probation(ProbationTerms terms, PublicKey routerPubkey, RouterBenchmarks admitted, String commitment,
            RouterProbationJournal journal, LongSupplier completedJobs, InstantSource clock) {
        this.terms = terms;
        this.routerPubkey = routerPubkey;
        this.benchmarks = admitted;
        this.benchmarksCommitment = commitment;
        this.journal = journal;
        this.completedJobs = completedJobs;
        this.clock = clock;
        this.stake = new BondedStakeView(new BondedStakeView.Config(NO_CAP, bonder -> true), clock);
        for (String json : journal.bonds()) {
            try {
                stake.onBond(EventJson.parse(json)); // expired ones are refused again, as they should be
            } catch (MalformedEventException e) {
                LOG.warn("unreadable bond in the probation journal, skipped: {}", e.getMessage());
            }
        }
        this.state = journal.standing().map(s -> ProbationState.valueOf(s.state().toUpperCase(java.util.Locale.ROOT)))
                .orElse(ProbationState.PROBATION);
        refresh();
    }

    /**
     * Null when this router may quote the spec; otherwise the counted reason it does not:
     * {@code probation_job_too_large} or {@code probation_share}.
     */
    public String refusal(JobId jobId, JobRequest.Spec spec) {
        if (state == ProbationState.ACTIVE) {
            return null;
        }
        if (spec.maxPriceMsat() > terms.maxJob().value() || spec.inputBytes() > terms.maxInputBytes()) {
            return "probation_job_too_large";
        }
        return inShare(jobId) ? null : "probation_share";
    }

    /** Whether {@code jobId} falls in this router's share: the first 8 bytes of sha256(job id ":" key) mod 1e6. */
    boolean inShare(JobId jobId) {
        return RouterAnnouncement.Probation.inShare(jobId.hex(), routerPubkey.hex(), terms.sharePpm());
    }

    /** A 31402 bond: counted (and journaled) when it names this router and the stake view takes it. */
    public void onBond(Event event) {
        if (!event.firstTagValue("p").map(routerPubkey.hex()::equals).orElse(false)) {
            return;
        }
        if (stake.onBond(event)) {
            journal.keepBond(event.pubkey() + ":" + event.firstTagValue("d").orElse(""), event.createdAt(),
                    EventJson.toJson(event));
            refresh();
        }
    }

    /** Re-evaluates graduation (after a job is metered, a bond arrives, or time passes) and journals a change. */
    public synchronized ProbationState refresh() {
        ProbationState now = completedJobs.getAsLong() >= terms.requiredJobs()
                && stake.effectiveUnits(routerPubkey) >= terms.requiredStakeUnits()
                ? ProbationState.ACTIVE : ProbationState.PROBATION;
        if (now != state || journal.standing().isEmpty()) {
            journal.saveStanding(new RouterProbationJournal.Standing(now.code(), clock.millis() / 1000));
            if (now != state) {
                LOG.info("router {} is now {}", org.fedai.nostr.Nip19.shortNpub(routerPubkey.hex()), now.code());
            }
            state = now;
        }
        return now;
    }

    public ProbationState state() {
        return state;
    }

    public ProbationTerms terms() {
        return terms;
    }

    /** The effective units bonded to this router now (what graduation reads). */
    public double stakeUnits() {
        return stake.effectiveUnits(routerPubkey);
    }

    /** Why bonds naming the router were not counted, by reason. */
    public java.util.Map<String, Long> bondRejections() {
        return stake.rejections();
    }

    /** The announced benchmark figures (rounded). */
    public java.util.Map<String, Double> announcedBenchmarks() {
        return benchmarks.announced();
    }

    /** The probation object of the router's 31401. */
    public RouterAnnouncement.Probation announced() {
        ProbationState s = refresh();
        return new RouterAnnouncement.Probation(s, completedJobs.getAsLong(), terms.requiredJobs(),
                (long) Math.floor(stakeUnits()), terms.requiredStakeUnits(), terms.sharePpm(), terms.maxJob().value(),
                terms.maxInputBytes(), benchmarksCommitment);
    }
}
