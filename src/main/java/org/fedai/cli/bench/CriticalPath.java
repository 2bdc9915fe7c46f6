package org.fedai.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fedai.cli.bench.HopTimeline.Sighting;

/**
 * The chain of relay deliveries a job's client waited on, read from a {@link HopTimeline} taken while the relay held
 * every delivery back by the same delay D. It walks back from the event that ended the job: the last result, or the
 * last proof when the client sent one after it (pay-after timings end as the client sends its proof, so that one is
 * not waited on). Each step's cause is the latest event delivered to its sender at least half a hop before the step
 * reached the relay (a wallet answer's cause is its request): with D far above what a role does with an event, only
 * the event it acted on fits. What the sender did between its cause and its step (work, a timer, a sweep) is that
 * step's wait: a wait that is not a hop.
 */
final class CriticalPath {

    /** One step: median time since the spec and median wait at its sender, over the jobs that took this path. */
    record Step(String label, String from, double sinceSpecMs, double waitMs) {
    }

    /**
     * @param endsWithClientSend the last step is the client's own proof, sent as the job ends: not a hop waited on
     * @param complete           the walk reached the spec (else a step's cause was not seen: the count is a guess)
     */
    record Path(List<Step> steps, boolean endsWithClientSend, boolean complete, int jobs, int of, Duration delay) {

        /** Relay deliveries the client waited on, from its spec to the end of its job. */
        int hops() {
            return steps.size() - (endsWithClientSend ? 1 : 0);
        }

        /**
         * The longest a step's sender held it after its cause came, in ms. Half a hop or more is not work but a
         * timer (a poll, a sweep): the job's latency is then not a whole number of hops.
         */
        double longestWaitMs() {
            return steps.stream().mapToDouble(Step::waitMs).max().orElse(0);
        }

        boolean waitsOnTimers() {
            return longestWaitMs() * 2 >= delay.toMillis();
        }

        String format() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "critical path at %d ms a hop (the path of %d of %d jobs): %d relay deliveries the client waited"
                    + " on%s", delay.toMillis(), jobs, of, hops(), complete ? "" : " (a cause was not seen: partial)"));
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                boolean last = endsWithClientSend && i == steps.size() - 1;
                String wait = i == 0 ? "" : last ? "  (sent as the client ends the job: not waited on)"
                        : step.waitMs() >= 1
                        ? String.format(Locale.ROOT, "  (%s took %.0f ms)", step.from(), step.waitMs()) : "";
                s.append(String.format(Locale.ROOT, "%n  %3s  %-38s +%7.1f ms%s", last ? "" : Integer.toString(i + 1),
                        step.label(), step.sinceSpecMs(), wait));
            }
            return s.toString();
        }
    }

    private record Link(Sighting step, Sighting cause) {
    }

    private CriticalPath() {
    }

    /** The path most of {@code jobs} took, with each step's medians; empty when no job was seen whole. */
    static Optional<Path> of(List<List<Sighting>> jobs, Duration delay) {
        long d = delay.toNanos();
        Map<List<String>, List<List<Link>>> byPath = new LinkedHashMap<>();
        for (List<Sighting> job : jobs) {
            List<Link> chain = chain(job, d);
            byPath.computeIfAbsent(chain.stream().map(l -> l.step().label()).toList(), k -> new ArrayList<>())
                    .add(chain);
        }
        Optional<List<List<Link>>> most = byPath.values().stream().max(java.util.Comparator.comparingInt(List::size));
        if (most.isEmpty()) {
            return Optional.empty();
        }
        List<List<Link>> chains = most.get();
        List<Link> first = chains.getFirst();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            List<Long> since = new ArrayList<>();
            List<Long> waits = new ArrayList<>();
            for (List<Link> chain : chains) {
                Link link = chain.get(i);
                since.add(link.step().at() - chain.getFirst().step().at());
                waits.add(link.cause() == null ? 0 : Math.max(0, link.step().at() - d - link.cause().at()));
            }
            steps.add(new Step(first.get(i).step().label(), first.get(i).step().from(),
                    LatencySummary.ofNanos(since).p50Ms(), LatencySummary.ofNanos(waits).p50Ms()));
        }
        Sighting end = first.getLast().step();
        boolean clientSend = end.label().startsWith("proof") && end.from().equals("client");
        boolean complete = first.getFirst().step().label().equals("spec");
        return Optional.of(new Path(steps, clientSend, complete, chains.size(), jobs.size(), delay));
    }

    /**
     * One job's chain, spec first, to its last result or its first proof, whichever came later: a second proof (the
     * node's, after a fee proved alone; a partial job's next part) is bookkeeping the client does not wait on.
     */
    private static List<Link> chain(List<Sighting> job, long d) {
        Sighting end = null;
        Sighting firstProof = null;
        for (Sighting s : job) {
            if (s.label().startsWith("result") && (end == null || s.at() >= end.at())) {
                end = s;
            } else if (s.label().startsWith("proof") && (firstProof == null || s.at() < firstProof.at())) {
                firstProof = s;
            }
        }
        if (firstProof != null && (end == null || firstProof.at() >= end.at())) {
            end = firstProof;
        }
        LinkedList<Link> links = new LinkedList<>();
        for (Sighting step = end; step != null; ) {
            Sighting cause = step == job.getFirst() ? null : causeOf(step, job, d);
            links.addFirst(new Link(step, cause));
            step = cause;
        }
        return links;
    }

    private static Sighting causeOf(Sighting step, List<Sighting> job, long d) {
        if (step.answers() != null) {
            for (Sighting s : job) {
                if (s.label().equals(step.answers())) {
                    return s;
                }
            }
        }
        Sighting cause = null;
        for (Sighting s : job) {
            if (s.at() <= step.at() - d / 2 && s.to().contains(step.from()) && (cause == null || s.at() > cause.at())) {
                cause = s;
            }
        }
        return cause;
    }
}
