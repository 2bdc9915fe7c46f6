package org.fedai.cli.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.cli.VerifySlashCommand;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.SlashClaim;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.router.RouterRole;
import org.fedai.roles.trust.SlashClaimVerifier;
import org.fedai.roles.trust.SlashVerdict;

/**
 * The never-delivering nodes of {@code fedai bench throughput --adversarial F}. The first job of the measured run
 * to each is pinned to it (so a claim is due even if selection would pass it by); a job one of them swallowed is
 * sent again with every node that swallowed it denied, so the load is failed over to honest nodes. Free jobs suffice: the router's
 * non-delivery watch sweeps every ordered job past its deliver_by, and only hold and partial orders wait for a
 * verified payment, since for them the node is bound only once paid; a free order binds it on acceptance.
 */
final class AdversarialNodes {

    private static final Duration CLAIM_WAIT = Duration.ofSeconds(60);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    private final List<String> keys;
    /** Jobs an adversary took and never delivered, resent with it denied. */
    private final Set<String> swallowed = ConcurrentHashMap.newKeySet();

    AdversarialNodes(List<String> keys) {
        this.keys = List.copyOf(keys);
    }

    /** How many of {@code nodes} a fraction {@code f} makes adversarial: at least one when f > 0. */
    static int count(double f, int nodes) {
        if (f < 0 || f >= 1) {
            throw new IllegalArgumentException("--adversarial must be in [0, 1), got " + f);
        }
        return f == 0 ? 0 : Math.max(1, (int) Math.round(f * nodes));
    }

    boolean any() {
        return !keys.isEmpty();
    }

    /** The measured run's job {@code seq}: pinned to an adversary for the first ones, otherwise unconstrained. */
    JobRequest.Constraints constraintsFor(long seq) {
        return seq < keys.size() ? new JobRequest.Constraints(Set.of(keys.get((int) seq)), Set.of(), "")
                : JobRequest.Constraints.none();
    }

    /**
     * The constraints for resending {@code failed}, sent under {@code sent}: every node that swallowed it so far
     * denied (one resend per adversary at most, since a job may meet another not yet slashed), or empty when no
     * adversary caused the failure.
     */
    Optional<JobRequest.Constraints> retryOf(JobOutcome failed, JobRequest.Constraints sent) {
        String node = failed.node().map(org.fedai.domain.PublicKey::hex).orElse(null);
        if (node == null || !keys.contains(node)) {
            return Optional.empty();
        }
        swallowed.add(failed.jobId().hex());
        Set<String> deny = new java.util.HashSet<>(sent.denyNodes());
        deny.add(node);
        return Optional.of(new JobRequest.Constraints(Set.of(), deny, ""));
    }

    /**
     * Waits for the router's claim against every adversary, fetches each from the relay with its evidence, verifies
     * it as {@code fedai verify-slash} does, and asks the relay for work orders to that node after the claim's
     * second. Prints one line per adversary; true when every claim is there, valid, and followed by no work order.
     */
    boolean report(PrintWriter out, RouterRole router, RelayPool pool) throws InterruptedException {
        out.printf(Locale.ROOT, "adversarial: %d never-delivering nodes swallowed %d jobs, each resent with that node"
                + " denied%n", keys.size(), swallowed.size());
        boolean ok = true;
        long until = System.nanoTime() + CLAIM_WAIT.toNanos(); // one deadline for all: a missing claim costs it once
        for (int i = 0; i < keys.size(); i++) {
            String node = keys.get(i);
            List<Event> nonDelivery = List.of();
            // the router marks a node slashed before its claim reaches the relay: wait for the claim itself
            while (nonDelivery.isEmpty() && System.nanoTime() < until) {
                if (router.slashedNodes().contains(org.fedai.domain.PublicKey.of(node))) {
                    nonDelivery = nonDeliveryClaims(router, pool, node);
                }
                if (nonDelivery.isEmpty()) {
                    Thread.sleep(100); // the router's sweep runs on its own thread and does not signal
                }
            }
            if (nonDelivery.isEmpty()) {
                // the router's 4409 counters say whether it withheld a claim (and why) or never came to one
                out.printf(Locale.ROOT, "adversarial: node %d %s: no non_delivery claim on the relay; router %s%n", i,
                        node.substring(0, 12), router.activity().snapshot().entrySet().stream()
                                .filter(e -> e.getKey().startsWith("4409")).toList());
                ok = false;
                continue;
            }
            // one claim per swallowed job: every one must stand on its own evidence
            int valid = 0;
            String refusal = "";
            for (Event c : nonDelivery) {
                List<Event> evidence = VerifySlashCommand.evidenceFor(pool, 1, FETCH_TIMEOUT, c);
                switch (SlashClaimVerifier.verify(c, evidence, Instant.now().getEpochSecond())) {
                    case SlashVerdict.Valid v -> valid++;
                    case SlashVerdict.Invalid bad -> refusal = " INVALID " + bad.refusal().code() + ": "
                            + bad.detail();
                }
            }
            Event first = nonDelivery.getFirst();
            // a work order in the first claim's own second may have preceded it
            List<Event> later = VerifySlashCommand.fetch(pool, 1, FETCH_TIMEOUT, Filter.builder()
                    .kinds(FedaiKind.WORK_ORDER.number()).authors(router.publicKey().hex()).tag('p', node)
                    .since(first.createdAt() + 1).build());
            out.printf(Locale.ROOT, "adversarial: node %d %s: %d non_delivery claims (4409) on the relay, first %s;"
                    + " %d valid by the verify-slash verifier%s; work orders after the first claim: %d%n", i,
                    node.substring(0, 12), nonDelivery.size(), first.id().substring(0, 12), valid, refusal,
                    later.size());
            ok &= valid == nonDelivery.size() && later.isEmpty();
        }
        out.flush();
        return ok;
    }

    /** The router's non_delivery claims against {@code node} that the relay holds, oldest first. */
    private static List<Event> nonDeliveryClaims(RouterRole router, RelayPool pool, String node)
            throws InterruptedException {
        List<Event> claims = VerifySlashCommand.fetch(pool, 1, FETCH_TIMEOUT, Filter.builder()
                .kinds(FedaiKind.SLASH_CLAIM.number()).authors(router.publicKey().hex()).tag('p', node).build());
        return claims.stream().filter(e -> e.tags().stream().anyMatch(t -> t.size() > 1
                && t.get(0).equals("reason") && t.get(1).equals(SlashClaim.Reason.NON_DELIVERY.code())))
                .sorted(java.util.Comparator.comparingLong(Event::createdAt)).toList();
    }
}
