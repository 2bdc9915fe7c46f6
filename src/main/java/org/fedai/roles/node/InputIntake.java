package org.fedai.roles.node;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.fedai.nostr.Event;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.JobRequestCodec;
import org.fedai.protocol.JobStatus;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;

/**
 * The client's sealed 4400 input as the node takes it: checked against the journalled quote, kept, and run once
 * the job is paid. Apart from {@link NodeJobMachine} because an input may overtake its quote and must wait for it
 * here; runs on the machine's state thread like every handler.
 */
final class InputIntake {

    private final NodeSteps machine;
    private final NodeConfig config;
    private final NodeJobJournal journal;
    private final NodeEvents events;
    private final NodeOutbox outbox;
    /** Inputs that overtook their quote (client and node get the quote at about the same time), by event id. */
    private final Cache<String, Event> earlyInputs = Caffeine.newBuilder().maximumSize(1024)
            .expireAfterWrite(Duration.ofMinutes(5)).build();

    InputIntake(NodeSteps machine, NodeConfig config, NodeJobJournal journal, NodeEvents events,
            NodeOutbox outbox) {
        this.machine = machine;
        this.config = config;
        this.journal = journal;
        this.events = events;
        this.outbox = outbox;
    }

    /** The inputs that came before the quote of {@code jobId}, taken now that it is journalled. */
    void quoted(String jobId) {
        List<Event> early = earlyInputs.asMap().values().stream()
                .filter(input -> input.firstTagValue("e").orElse("").equals(jobId)).toList();
        early.forEach(input -> {
            earlyInputs.invalidate(input.id());
            onInput(input);
        });
    }


    /** 4400 input: only from the quote's client, only the committed texts, within the node's size limit. */
    void onInput(Event e) {
        long now = machine.now();
        if (journal.processed(e.id())) {
            machine.reject("duplicate", e, "input already handled");
            return;
        }
        JobRequest.Input in;
        switch (JobRequestCodec.decode(e, config.keys(), now)) {
            case Decoded.Rejected<JobRequest> r -> {
                machine.reject(r.rejection(), e);
                return;
            }
            case Decoded.Accepted<JobRequest> a when a.value() instanceof JobRequest.Input input -> in = input;
            case Decoded.Accepted<JobRequest> a -> {
                machine.reject("unexpected_spec", e, "a node takes inputs, not specs");
                return;
            }
        }
        Optional<NodeJob> found = journal.job(in.jobId());
        if (found.isEmpty()) {
            earlyInputs.put(e.id(), e); // its quote may still be on the way
            return;
        }
        NodeJob job = found.get();
        if (!e.pubkey().equals(job.terms().client())) {
            machine.reject("wrong_client", e, "input for " + job.jobId() + " not from its client");
        } else if (job.state().terminal()) {
            machine.reject("job_closed", e, "job " + job.jobId() + " is " + job.state());
        } else if (job.input().isPresent()) {
            machine.reject("duplicate", e, "input for " + job.jobId() + " already in hand");
        } else if (in.bytes() > config.maxInputBytes()) {
            machine.reject("too_large", e, in.bytes() + " bytes");
            machine.fail(job, "input of " + in.bytes() + " bytes is over this node's " + config.maxInputBytes(),
                    machine.processed(e, job.jobId()));
        } else if (!in.commitment().equals(job.terms().inputSha256())) {
            machine.reject("inconsistent", e, "input does not match the quoted input_sha256");
            machine.fail(job, "input does not match the quoted input_sha256", machine.processed(e, job.jobId()));
        } else {
            // input_received: from now on the node answers for the job (4409 non_delivery cites it), not before
            journal.recordInput(job.jobId(), new NodeJob.Input(e.id(), in.texts(), in.params()),
                    machine.processed(e, job.jobId()), now,
                    List.of(events.status(job, JobStatus.State.INPUT_RECEIVED, "", now)));
            outbox.flush();
            if (job.state() == NodeJobState.PAID) {
                machine.startRun(job.jobId());
            }
        }
    }
}
