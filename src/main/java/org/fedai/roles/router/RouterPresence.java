package org.fedai.roles.router;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fedai.protocol.Heartbeat;
import org.fedai.protocol.HeartbeatCodec;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.PaymentTiming;
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

    private final RouterRole role;
    private final Probation probation;
    /** Only touched on the role's thread. */
    private long lastAnnouncedAt;
    private RouterAnnouncement.ProbationState announcedState;

    RouterPresence(RouterRole role, Probation probation) {
        this.role = role;
        this.probation = probation;
    }

    RouterAnnouncement announcement() {
        RouterConfig config = role.config;
        RouterAnnouncement.Probation standing = probation == null
                ? new RouterAnnouncement.Probation(RouterAnnouncement.ProbationState.PROBATION,
                        role.ledger.totals().metered())
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
                        role.wallet.nodeId(),
                        role.wallet.network().name().toLowerCase(Locale.ROOT)),
                policy, standing, probation == null ? Map.of() : probation.announcedBenchmarks(), config.relays(),
                role.nowSeconds() + 2 * config.announceInterval().toSeconds());
    }

    void announce() {
        try {
            // dated after the previous one: a relay keeps one 31401 per address and, within a second, the lower id,
            // so a graduation announced in the same second as the last announcement could be lost
            long at = Math.max(role.nowSeconds(), lastAnnouncedAt + 1);
            lastAnnouncedAt = at;
            RouterAnnouncement a = announcement();
            announcedState = a.probation().state();
            role.publish(role.sign(RouterAnnouncementCodec.encode(a, at)));
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
            int open = role.ledger.jobsIn(RouterJobState.QUOTED).size()
                    + role.ledger.jobsIn(RouterJobState.ACCEPTED).size()
                    + role.ledger.jobsIn(RouterJobState.ORDERED).size();
            role.publish(role.sign(HeartbeatCodec.encode(new Heartbeat("31401:" + role.publicKey() + ":"
                    + role.config.routerId(), open, 0, 0, HEARTBEAT_SECONDS), role.nowSeconds())));
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed", e);
        }
    }
}
