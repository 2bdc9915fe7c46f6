package org.fedai.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.nostr.Event;
import org.fedai.nostr.Filter;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.nostr.pool.Subscription;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobProgressCodecs;
import org.fedai.protocol.JobStatus;

/**
 * Where a job's time goes, seen from the relay: a spy subscription stamps each market event of a job as the relay
 * delivers it, and {@link #report} gives, per step, the median time since the job's spec reached the relay. The
 * spy only reads what every subscriber can see (sealed contents stay sealed; the step is told by kind, recipient
 * and, for the public 4405, its state).
 */
final class HopTimeline implements AutoCloseable {

    private static final List<String> STEPS = List.of("spec", "quote", "accepted", "input", "work order",
            "processing", "result", "success", "metering", "receipt");

    private final RelayPool pool = new RelayPool();
    private final Map<String, Map<String, Long>> jobs = new ConcurrentHashMap<>();
    /** A receipt's {@code e} tag names the metering record, not the job. */
    private final Map<String, String> recordJobs = new ConcurrentHashMap<>();
    private final Subscription subscription;
    private final String router;

    HopTimeline(String relayUrl, String router) {
        this.router = router;
        pool.addRelay(relayUrl);
        subscription = pool.subscribe(List.of(Filter.builder().kinds(4400, 4401, 4404, 4405, 4406, 4407, 4408)
                .since(System.currentTimeMillis() / 1000).build()), (e, relay) -> stamp(e, System.nanoTime()));
    }

    private void stamp(Event e, long at) {
        String tagged = e.firstTagValue("e").orElse("");
        String job = e.kind() == 4400 && e.firstTagValue("p").orElse("").equals(router) ? e.id()
                : e.kind() == 4408 ? recordJobs.getOrDefault(tagged, "") : tagged;
        if (e.kind() == 4407) {
            recordJobs.put(e.id(), tagged);
        }
        String step = switch (e.kind()) {
            case 4400 -> e.id().equals(job) ? "spec" : "input";
            case 4401 -> "quote";
            case 4404 -> "work order";
            case 4405 -> JobProgressCodecs.decodeStatus(e) instanceof Decoded.Accepted<JobStatus> s
                    ? s.value().state().code() : "status";
            case 4406 -> "result";
            case 4407 -> "metering";
            case 4408 -> "receipt";
            default -> "other";
        };
        jobs.computeIfAbsent(job, k -> new ConcurrentHashMap<>()).putIfAbsent(step, at);
    }

    /** Per step, the median milliseconds since the spec, over the jobs that went through every step. */
    Map<String, Double> report() {
        Map<String, Double> out = new LinkedHashMap<>();
        List<Map<String, Long>> whole = jobs.values().stream().filter(j -> j.keySet().containsAll(STEPS)).toList();
        for (String step : STEPS) {
            List<Long> since = new ArrayList<>();
            whole.forEach(j -> since.add(j.get(step) - j.get("spec")));
            out.put(step, LatencySummary.ofNanos(since).p50Ms());
        }
        return out;
    }

    String format() {
        StringBuilder s = new StringBuilder("median time since the spec reached the relay:");
        report().forEach((step, ms) -> s.append(String.format(Locale.ROOT, " %s +%.1f ms,", step, ms)));
        return s.substring(0, s.length() - 1);
    }

    @Override
    public void close() {
        subscription.close();
        pool.close();
    }
}
