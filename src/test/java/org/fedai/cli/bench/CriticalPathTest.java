package org.fedai.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedai.cli.bench.HopTimeline.Sighting;
import org.junit.jupiter.api.Test;

/** How {@link CriticalPath} walks a job's sightings back from its end, at 100 ms a hop. */
class CriticalPathTest {

    static final Duration HOP = Duration.ofMillis(100);

    final List<Sighting> job = new ArrayList<>();

    void saw(String label, long atMs, String from, String to) {
        job.add(new Sighting(label, atMs * 1_000_000, from, to.isEmpty() ? Set.of() : Set.of(to.split(",")), null));
    }

    void answer(String request, long atMs, String to) {
        job.add(new Sighting(request + " answer", atMs * 1_000_000, "wallet", Set.of(to), request));
    }

    List<String> labels(CriticalPath.Path path) {
        return path.steps().stream().map(CriticalPath.Step::label).toList();
    }

    @Test
    void eachStepsCauseIsTheLatestEventItsSenderGotHalfAHopBeforeAndAnAnswersIsItsRequest() {
        saw("spec", 0, "client", "router");
        saw("router make_invoice", 103, "router", "wallet");
        saw("client make_invoice", 104, "client", "wallet"); // another role's request, answered later
        answer("router make_invoice", 206, "router");
        answer("client make_invoice", 207, "client");
        saw("quote to node", 310, "router", "node");
        saw("quote to client", 311, "router", "client");
        saw("input", 414, "client", "node");
        saw("accepted", 415, "node", "router");
        saw("work order", 520, "router", "node");
        saw("metering", 640, "node", "router");
        saw("result", 640, "node", "client");
        saw("receipt", 745, "router", "");

        CriticalPath.Path path = CriticalPath.of(List.of(job), HOP).orElseThrow();

        assertThat(labels(path)).containsExactly("spec", "router make_invoice", "router make_invoice answer",
                "quote to node", "accepted", "work order", "result");
        assertThat(path.hops()).isEqualTo(7);
        assertThat(path.complete()).isTrue();
        assertThat(path.waitsOnTimers()).isFalse();
        assertThat(path.steps().getLast().waitMs()).isEqualTo(20.0); // the node ran 20 ms after the work order
    }

    @Test
    void aProofTheClientSendsAsTheJobEndsIsNotAHopAndAPollShowsAsATimer() {
        saw("spec", 0, "client", "router");
        saw("quote to node", 104, "router", "node");
        saw("quote to client", 105, "router", "client");
        saw("result", 210, "node", "client");
        saw("client lookup_invoice", 310, "client", "wallet");
        answer("client lookup_invoice", 415, "client");
        saw("client lookup_invoice #2", 720, "client", "wallet"); // 200 ms after the answer: a poll
        answer("client lookup_invoice #2", 825, "client");
        saw("proof", 930, "client", "router");

        CriticalPath.Path path = CriticalPath.of(List.of(job), HOP).orElseThrow();

        assertThat(labels(path)).containsExactly("spec", "quote to node", "result", "client lookup_invoice",
                "client lookup_invoice answer", "client lookup_invoice #2", "client lookup_invoice #2 answer", "proof");
        assertThat(path.endsWithClientSend()).isTrue();
        assertThat(path.hops()).isEqualTo(7);
        assertThat(path.waitsOnTimers()).isTrue();
        assertThat(path.longestWaitMs()).isEqualTo(205.0);
        assertThat(path.format()).contains("7 relay deliveries the client waited on",
                "proof", "(sent as the client ends the job: not waited on)");
    }

    @Test
    void thePathMostJobsTookIsReportedWithItsMedians() {
        List<List<Sighting>> jobs = new ArrayList<>();
        for (long shift : new long[] {0, 10, 20}) {
            job.clear();
            saw("spec", 0, "client", "router");
            saw("quote to node", 100 + shift, "router", "node");
            saw("result", 200 + shift, "node", "client");
            jobs.add(List.copyOf(job));
        }
        job.clear();
        saw("spec", 0, "client", "router");
        saw("result", 300, "node", "client"); // its cause was not seen
        jobs.add(List.copyOf(job));

        CriticalPath.Path path = CriticalPath.of(jobs, HOP).orElseThrow();

        assertThat(labels(path)).containsExactly("spec", "quote to node", "result");
        assertThat(path.jobs()).isEqualTo(3);
        assertThat(path.of()).isEqualTo(4);
        assertThat(path.steps().get(1).sinceSpecMs()).isEqualTo(110.0);
    }
}
