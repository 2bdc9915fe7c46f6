package org.fedai.cli;

import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.SlashClaim;
import org.fedai.roles.client.ClientRole;
import org.fedai.roles.client.JobOutcome;
import org.fedai.roles.client.JobSubmission;
import org.fedai.roles.router.RouterRole;
import org.fedai.roles.trust.SlashClaimVerifier;
import org.fedai.roles.trust.SlashVerdict;

/**
 * The misbehaving nodes of {@code fedai demo --adversarial}: first each never-delivering node is handed a paid
 * job (pinned to it by the client's allow list, with a short deliver_by) so the router's non-delivery watch
 * catches it, and each node whose manifest overstates its embedding rate is sent jobs until the router has
 * measured it; after the honest batch, every 4409 claim against an adversary is fetched back from the relay,
 * with its evidence, and checked as {@code fedai verify-slash} would, and the relay is asked whether the router
 * sent that node any work order after the claim.
 */
final class AdversarialPhase {

    /** Short, so the router's sweep can claim within seconds; long enough to accept, invoice and pay over NWC. */
    static final long ADVERSARIAL_DELIVER_WITHIN_S = 5;
    /** The router's measurement needs this many jobs of at least this many texts (MisrepresentationWatch). */
    static final int MEASURED_JOBS = 3;
    static final int MEASURED_BATCH = 32;
    private static final Duration CLAIM_WAIT = Duration.ofSeconds(30);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    private final PrintWriter out;
    private final RouterRole router;
    private final ClientRole client;
    private final RelayPool pool;

    AdversarialPhase(PrintWriter out, RouterRole router, ClientRole client, RelayPool pool) {
        this.out = out;
        this.router = router;
        this.client = client;
        this.pool = pool;
    }

    /** Pays {@code node} for a job it will never deliver; true once the router has slashed it. */
    boolean baitNonDelivery(String name, String node) throws Exception {
        JobSubmission bait = new JobSubmission("all-minilm-l6-v2-q", "embedding", List.of("a job nobody will run"),
                Map.of(), Msat.of(200_000), new JobRequest.Constraints(Set.of(node), Set.of(), ""), PaymentTiming.BEFORE,
                ADVERSARIAL_DELIVER_WITHIN_S);
        JobOutcome o = client.submit(bait).get(90, TimeUnit.SECONDS);
        out.printf("adversary   %s took job %s, paid %s, delivered: %s%n", name, o.jobId().hex().substring(0, 8),
                o.paid(), o.succeeded() ? "yes" : "no (" + o.failure() + ")");
        boolean slashed = awaitSlash(node);
        out.println("adversary   router " + (slashed ? "slashed " : "did NOT slash ") + name);
        out.flush();
        return !o.succeeded() && slashed;
    }

    /**
     * Sends {@code node}, which claims far more than it delivers, as many full-batch embedding jobs as the router
     * needs to measure it (they succeed); true once the router has slashed it for misrepresentation.
     */
    boolean measureOverstatement(String name, String node) throws Exception {
        List<String> texts = java.util.stream.IntStream.range(0, MEASURED_BATCH)
                .mapToObj(i -> "a measured text number " + i).toList();
        int delivered = 0;
        for (int i = 0; i < MEASURED_JOBS && !router.slashedNodes().contains(PublicKey.of(node)); i++) {
            JobOutcome o = client.submit(new JobSubmission("all-minilm-l6-v2-q", "embedding", texts, Map.of(),
                    Msat.of(200_000), new JobRequest.Constraints(Set.of(node), Set.of(), ""), PaymentTiming.BEFORE, 60))
                    .get(90, TimeUnit.SECONDS);
            delivered += o.succeeded() ? 1 : 0;
        }
        boolean slashed = awaitSlash(node);
        out.printf("adversary   %s delivered %d measured jobs of %d texts; router %s%n", name, delivered,
                MEASURED_BATCH, slashed ? "slashed it" : "did NOT slash it");
        out.flush();
        return slashed;
    }

    private boolean awaitSlash(String node) throws InterruptedException {
        long until = System.nanoTime() + CLAIM_WAIT.toNanos();
        while (!router.slashedNodes().contains(PublicKey.of(node)) && System.nanoTime() < until) {
            Thread.sleep(100); // the router's sweep runs on its own thread and does not signal
        }
        return router.slashedNodes().contains(PublicKey.of(node));
    }

    /**
     * Fetches from the relay the router's claim against {@code node} with the given reason, verifies it, and
     * checks that no work order reached the node after the claim's second. Prints one line; true when all hold.
     */
    boolean verifyFromRelay(String name, String node, SlashClaim.Reason reason) throws InterruptedException {
        // the router marks a node slashed before its claim reaches the relay: look again until the claim is there
        long until = System.nanoTime() + FETCH_TIMEOUT.toNanos();
        Optional<Event> claim = claimOnRelay(node, reason);
        while (claim.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(100); // publishing runs on the router's thread and does not signal
            claim = claimOnRelay(node, reason);
        }
        if (claim.isEmpty()) {
            out.printf("slash       %-17s against %-7s NOT FOUND on the relay%n", reason.code(), name);
            out.flush();
            return false;
        }
        Event c = claim.get();
        List<Event> evidence = VerifySlashCommand.evidenceFor(pool, 1, FETCH_TIMEOUT, c);
        SlashVerdict verdict = SlashClaimVerifier.verify(c, evidence, Instant.now().getEpochSecond());
        List<Event> later = VerifySlashCommand.fetch(pool, 1, FETCH_TIMEOUT, Filter.builder()
                .kinds(FedaiKind.WORK_ORDER.number()).authors(router.publicKey().hex()).tag('p', node)
                .since(c.createdAt() + 1).build()); // a work order in the claim's own second may have preceded it
        String check = switch (verdict) {
            case SlashVerdict.Valid v -> "valid (" + evidence.size() + " evidence events fetched)";
            case SlashVerdict.Invalid i -> "INVALID " + i.refusal().code() + ": " + i.detail();
        };
        out.printf("slash       %-17s against %-7s claim %s  %s; work orders after: %d%n", reason.code(), name,
                c.id(), check, later.size());
        out.flush();
        return verdict.valid() && later.isEmpty();
    }

    private Optional<Event> claimOnRelay(String node, SlashClaim.Reason reason) throws InterruptedException {
        List<Event> claims = VerifySlashCommand.fetch(pool, 1, FETCH_TIMEOUT, Filter.builder()
                .kinds(FedaiKind.SLASH_CLAIM.number()).authors(router.publicKey().hex()).tag('p', node).build());
        return claims.stream().filter(e -> e.tags().stream().anyMatch(t -> t.size() > 1 && t.get(0).equals("reason")
                && t.get(1).equals(reason.code()))).findFirst();
    }
}
