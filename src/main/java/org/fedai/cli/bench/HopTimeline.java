package org.fedai.cli.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobStatus;

/**
 * Where a job's time goes, seen from the relay: a spy subscription stamps each market event of a job, and each
 * NIP-47 wallet event (request 23194, response 23195, notifications 23196/23197), as the relay delivers it. The spy
 * reads what every subscriber can see (sealed contents stay sealed; the step is told by kind, sender, recipient and,
 * for the public 4405, its state), plus what the market lets it read of its own wallet's traffic (the method of a
 * request). Wallet events carry no job: in a sequential run they belong to the last spec seen, an answer to its
 * request's job. {@link #format()} gives, per step, the median time since the job's spec reached the relay;
 * {@link CriticalPath} the chain of hops the client waited on.
 */
final class HopTimeline implements AutoCloseable {

    /**
     * One event as the spy saw it: its step, when it came, who sent it, who it is for (roles), and for a wallet answer
     * the label of its request (else null).
     */
    record Sighting(String label, long at, String from, Set<String> to, String answers) {
    }

    private static final Integer[] MARKET = {4400, 4401, 4402, 4403, 4404, 4405, 4406, 4407, 4408};
    private static final Integer[] WALLET = {23194, 23195, 23196, 23197};

    private final RelayPool pool = new RelayPool();
    /** Per job (spec id), its sightings in the order they came; written by the spy's one delivery thread. */
    private final Map<String, List<Sighting>> jobs = new LinkedHashMap<>();
    private final Map<String, Map<String, Integer>> seen = new HashMap<>();
    /** A receipt's {@code e} tag names the metering record, not the job. */
    private final Map<String, String> recordJobs = new HashMap<>();
    /** A wallet request's id to its job and label, for its answer. */
    private final Map<String, String[]> requests = new HashMap<>();
    private final Subscription subscription;
    private final String router;
    private final Function<String, String> roleOf;
    private final Function<Event, Optional<String>> walletMethod;
    private String latestSpec = "";

    /**
     * {@code roleOf}: "router", "node", "client" or "wallet" for a party's key (its wallet connection's too);
     * {@code walletMethod}: a wallet request's method or a notification's type, when the market can read it.
     */
    HopTimeline(String relayUrl, String router, Function<String, String> roleOf,
            Function<Event, Optional<String>> walletMethod) {
        this.router = router;
        this.roleOf = roleOf;
        this.walletMethod = walletMethod;
        pool.addRelay(relayUrl);
        long since = System.currentTimeMillis() / 1000;
        subscription = pool.subscribe(List.of(Filter.builder().kinds(MARKET).since(since).build(),
                Filter.builder().kinds(WALLET).since(since).build()), (e, relay) -> stamp(e, System.nanoTime()));
    }

    private synchronized void stamp(Event e, long at) {
        String tagged = e.firstTagValue("e").orElse("");
        String from = roleOf.apply(e.pubkey());
        Set<String> to = new LinkedHashSet<>();
        e.tags().stream().filter(t -> t.size() > 1 && t.get(0).equals("p"))
                .forEach(t -> to.add(roleOf.apply(t.get(1))));
        // what no one acts on cannot be a step's cause: a status or a metering record is news to the client (only an
        // error moves its job), a receipt is for the books; a wallet notification is news to its role, which may act
        // on it (the node runs a run-on-payment job on payment_received, a held one on hold_invoice_accepted)
        if (e.kind() == 4405 || e.kind() == 4407) {
            to.remove("client");
        } else if (e.kind() == 4408) {
            to.clear();
        }
        String job;
        String label;
        String answers = null;
        switch (e.kind()) {
            case 23194 -> {
                job = latestSpec;
                label = from + " " + walletMethod.apply(e).orElse("wallet request");
            }
            case 23195 -> {
                String[] request = requests.getOrDefault(tagged, new String[] {latestSpec, "wallet request"});
                job = request[0];
                answers = request[1];
                label = answers + " answer";
            }
            case 23196, 23197 -> {
                job = latestSpec;
                label = walletMethod.apply(e).orElse("wallet notification") + " to " + roleOf.apply(
                        e.firstTagValue("p").orElse(""));
            }
            case 4400 -> {
                boolean spec = e.firstTagValue("p").orElse("").equals(router);
                job = spec ? e.id() : tagged;
                label = spec ? "spec" : "input";
                if (spec) {
                    latestSpec = e.id();
                }
            }
            case 4408 -> {
                job = recordJobs.getOrDefault(tagged, "");
                label = "receipt";
            }
            default -> {
                job = tagged;
                label = marketLabel(e, to);
                if (e.kind() == 4407) {
                    recordJobs.put(e.id(), tagged);
                }
            }
        }
        if (job.isEmpty()) {
            return;
        }
        int n = seen.computeIfAbsent(job, k -> new HashMap<>()).merge(label, 1, Integer::sum);
        String numbered = n == 1 ? label : label + " #" + n;
        if (e.kind() == 23194) {
            requests.put(e.id(), new String[] {job, numbered});
        }
        jobs.computeIfAbsent(job, k -> new ArrayList<>()).add(new Sighting(numbered, at, from, to, answers));
        notifyAll();
    }

    /**
     * Waits until the last job seen has {@code results} results and {@code proofs} proofs: a client ends a pay-after
     * job as it sends its proof, which reaches the spy a hop later. False if that did not happen within {@code wait}.
     */
    synchronized boolean awaitLastJob(int results, int proofs, java.time.Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (true) {
            List<Sighting> last = jobs.getOrDefault(latestSpec, List.of());
            if (count(last, "result") >= results && count(last, "proof") >= proofs) {
                return true;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private static long count(List<Sighting> job, String step) {
        return job.stream().filter(s -> s.label().equals(step) || s.label().startsWith(step + " #")).count();
    }

    private static String marketLabel(Event e, Set<String> to) {
        return switch (e.kind()) {
            case 4401 -> "quote to " + String.join(",", to);
            case 4402 -> "invoice";
            case 4403 -> "proof";
            case 4404 -> "work order";
            case 4405 -> JobProgressCodecs.decodeStatus(e) instanceof Decoded.Accepted<JobStatus> s
                    ? s.value().state().code() : "status";
            case 4406 -> "result";
            case 4407 -> "metering";
            default -> "kind " + e.kind();
        };
    }

    /** The sightings of every job whose spec and result were seen, each in the order they came. */
    synchronized List<List<Sighting>> completeJobs() {
        List<List<Sighting>> out = new ArrayList<>();
        for (List<Sighting> job : jobs.values()) {
            if (job.getFirst().label().equals("spec") && job.stream().anyMatch(s -> s.label().startsWith("result"))) {
                out.add(List.copyOf(job));
            }
        }
        return out;
    }

    /** Per step seen in at least half the complete jobs, the median milliseconds since the spec, earliest first. */
    Map<String, Double> report() {
        List<List<Sighting>> whole = completeJobs();
        Map<String, List<Long>> since = new LinkedHashMap<>();
        for (List<Sighting> job : whole) {
            long spec = job.getFirst().at();
            job.forEach(s -> since.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s.at() - spec));
        }
        Map<String, Double> medians = new HashMap<>();
        since.forEach((label, nanos) -> {
            if (nanos.size() * 2 >= whole.size()) {
                medians.put(label, LatencySummary.ofNanos(nanos).p50Ms());
            }
        });
        Map<String, Double> out = new LinkedHashMap<>();
        medians.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .forEach(en -> out.put(en.getKey(), en.getValue()));
        return out;
    }

    String format() {
        StringBuilder s = new StringBuilder("median time since the spec reached the relay, per step ("
                + completeJobs().size() + " jobs):");
        report().forEach((step, ms) -> s.append(String.format(Locale.ROOT, "%n  %s +%.1f ms", step, ms)));
        return s.toString();
    }

    /** Forgets what was seen (after a run at another delay). */
    synchronized void clear() {
        jobs.clear();
        seen.clear();
        recordJobs.clear();
        requests.clear();
    }

    @Override
    public void close() {
        subscription.close();
        pool.close();
    }
}
