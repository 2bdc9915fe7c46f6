package org.fedai.roles.router;

import java.util.Locale;
import java.util.Map;
import org.fedai.domain.PaymentTiming;
import org.fedai.payment.PaymentBackend;
import org.fedai.protocol.Heartbeat;
import org.fedai.protocol.HeartbeatCodec;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.RouterAnnouncementCodec;
import org.fedai.store.RouterJobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the router says about itself: its 31401 announcement (terms, probation standing, benchmark figures and
 * their commitment) and its 24400 heartbeat. Without a {@link Probation} (an embedded router its host vetted) it
 * announces itself in probation with no caps stated, which is what it is to anyone else.
 */
final class RouterPresence {

    private static final Logger LOG = LoggerFactory.getLogger(RouterPresence.class);
    static final int HEARTBEAT_SECONDS = 30;

    private final RouterContext ctx;
    private final PaymentBackend wallet;
    private final Probation probation;
    /** Only touched on the role's thread. */
    private long lastAnnouncedAt;
    private RouterAnnouncement.ProbationState announcedState;

    /** {@code wallet}: the router's own, whose key and network the announcement names for fees. */
    RouterPresence(RouterContext ctx, PaymentBackend wallet, Probation probation) {
        this.ctx = ctx;
        this.wallet = wallet;
        this.probation = probation;
    }

    RouterAnnouncement announcement() {
        RouterConfig config = ctx.config();
        RouterAnnouncement.Probation standing = probation == null
                ? new RouterAnnouncement.Probation(RouterAnnouncement.ProbationState.PROBATION,
                        ctx.ledger().totals().metered())
                : probation.announced();
        RouterAnnouncement.Policy policy = config.policy();
        if (standing.state() == RouterAnnouncement.ProbationState.PROBATION && standing.maxJobMsat() > 0) {
            // what a client may send this router now: the smaller of its policy and its probation cap
            policy = new RouterAnnouncement.Policy(Math.min(policy.maxJobMsat(), standing.maxJobMsat()),
                    policy.powDifficulty(), policy.maxJobsPerMinute());
        }
        return new RouterAnnouncement(config.routerId(), RouterConfig.SOFTWARE, config.fee(),
                // external is for this router's own NIP-90 gateway only, so it is not offered to clients at large
                new PaymentTerms(java.util.EnumSet.complementOf(java.util.EnumSet.of(PaymentTiming.EXTERNAL)),
                        wallet.nodeId(),
                        wallet.network().name().toLowerCase(Locale.ROOT)),
                policy, standing, probation == null ? Map.of() : probation.announcedBenchmarks(), config.relays(),
                ctx.nowSeconds() + 2 * config.announceInterval().toSeconds());
    }

    void announce() {
        try {
            // dated after the previous one: a relay keeps one 31401 per address and, within a second, the lower id,
            // so a graduation announced in the same second as the last announcement could be lost
            long at = Math.max(ctx.nowSeconds(), lastAnnouncedAt + 1);
            lastAnnouncedAt = at;
            RouterAnnouncement a = announcement();
            announcedState = a.probation().state();
            ctx.publish(ctx.sign(RouterAnnouncementCodec.encode(a, at)));
        } catch (RuntimeException e) {
            LOG.warn("announcement failed", e);
        }
    }

    /** Re-reads the probation standing and announces at once when it changed (graduated, or fell back). */
    void standingMayHaveChanged() {
        if (probation != null && probation.refresh() != announcedState) {
            announce();
        }
    }

    /** 24400 for our announcement, so clients can tell a live router from a stale announcement. */
    void heartbeat() {
        try {
            standingMayHaveChanged();
            int open = ctx.ledger().jobsIn(RouterJobState.QUOTED).size()
                    + ctx.ledger().jobsIn(RouterJobState.ACCEPTED).size()
                    + ctx.ledger().jobsIn(RouterJobState.ORDERED).size();
            ctx.publish(ctx.sign(HeartbeatCodec.encode(new Heartbeat("31401:" + ctx.publicKey() + ":"
                    + ctx.config().routerId(), open, 0, 0, HEARTBEAT_SECONDS), ctx.nowSeconds())));
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed", e);
        }
    }
}
