package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.ProtocolFixtures.CLIENT;
import static org.fedai.protocol.ProtocolFixtures.NODE;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.ROUTER;
import static org.fedai.protocol.ProtocolFixtures.open;
import static org.fedai.protocol.ProtocolFixtures.resealed;
import static org.fedai.protocol.ProtocolFixtures.replacing;
import static org.fedai.protocol.ProtocolFixtures.withContent;
import static org.fedai.protocol.ProtocolFixtures.withTags;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;

class JobProgressCodecsTest {

    static final String JOB = "ab".repeat(32);

    private static <T> Reason reason(Decoded<T> d) {
        return d instanceof Decoded.Rejected<T> r ? r.rejection().reason() : null;
    }

    private final JobStatus status = new JobStatus(JOB, CLIENT.publicKey(), ROUTER.publicKey(),
            JobStatus.State.ACCEPTED, "");
    private final Event statusEvent = EventSigner.sign(JobProgressCodecs.encodeStatus(status, NOW), NODE);
    private final JobResult result = new JobResult(JOB, "text", "hello ✓", 1, 1, JobResult.sha256("hello ✓"), 1,
            "job");
    private final Event resultEvent = EventSigner.sign(
            JobProgressCodecs.encodeResult(result, NODE, CLIENT.publicKey(), NOW), NODE);

    @Test
    void emptyResultContentIsUndecryptable() {
        Event e = EventSigner.sign(new UnsignedEvent(NOW, 4406, resultEvent.tags(), ""), NODE);
        assertThat(reason(JobProgressCodecs.decodeResult(e, CLIENT))).isEqualTo(Reason.UNDECRYPTABLE);
    }

    @Test
    void statusRoundTripsAndConformsToSchema() {
        assertThat(JobProgressCodecs.decodeStatus(statusEvent).orElseThrow()).isEqualTo(status);
        assertThat(KindSchemas.violations(statusEvent)).isEmpty();
        assertThat(reason(JobProgressCodecs.decodeResult(statusEvent, CLIENT))).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void routerRefusalCarriesItsReasonCodeAndConformsToSchema() {
        JobStatus refusal = new JobStatus(JOB, CLIENT.publicKey(), ROUTER.publicKey(), JobStatus.State.ERROR,
                "no live node serves this model and task", "no_capable_node");
        Event event = EventSigner.sign(JobProgressCodecs.encodeStatus(refusal, NOW), ROUTER);
        assertThat(event.tagValues("reason")).containsExactly("no_capable_node");
        assertThat(JobProgressCodecs.decodeStatus(event).orElseThrow()).isEqualTo(refusal);
        assertThat(KindSchemas.violations(event)).isEmpty();
        // an older status without the tag still decodes, with no reason
        assertThat(JobProgressCodecs.decodeStatus(statusEvent).orElseThrow().reason()).isEmpty();
    }

    @Test
    void reasonOnlyAsACodeOnAnError() {
        List<List<String>> onAccepted = new java.util.ArrayList<>(statusEvent.tags());
        onAccepted.add(List.of("reason", "no_capable_node"));
        assertThat(reason(JobProgressCodecs.decodeStatus(withTags(statusEvent, onAccepted))))
                .isEqualTo(Reason.MALFORMED_TAG);
        Event error = EventSigner.sign(JobProgressCodecs.encodeStatus(new JobStatus(JOB, CLIENT.publicKey(),
                ROUTER.publicKey(), JobStatus.State.ERROR, "", "over_max_price"), NOW), ROUTER);
        assertThat(reason(JobProgressCodecs.decodeStatus(withTags(error, replacing(error, "reason", "Not A Code")))))
                .isEqualTo(Reason.MALFORMED_TAG);
        assertThat(KindSchemas.violations(withTags(error, replacing(error, "reason", "Not A Code")))).isNotEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JobStatus(JOB, CLIENT.publicKey(),
                ROUTER.publicKey(), JobStatus.State.SUCCESS, "", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusWithUnknownStateOrMissingRouter() {
        assertThat(reason(JobProgressCodecs.decodeStatus(withTags(statusEvent, replacing(statusEvent, "status", "won")))))
                .isEqualTo(Reason.MALFORMED_TAG);
        List<List<String>> oneP = statusEvent.tags().stream()
                .filter(t -> !(t.get(0).equals("p") && t.get(1).equals(ROUTER.publicKey()))).toList();
        assertThat(reason(JobProgressCodecs.decodeStatus(withTags(statusEvent, oneP)))).isEqualTo(Reason.MALFORMED_TAG);
        assertThat(reason(JobProgressCodecs.decodeStatus(withContent(statusEvent, "x".repeat(1025)))))
                .isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void resultRoundTripsAndConformsToSchema() {
        assertThat(JobProgressCodecs.decodeResult(resultEvent, CLIENT).orElseThrow()).isEqualTo(result);
        assertThat(KindSchemas.violations(resultEvent, open(resultEvent, CLIENT))).isEmpty();
    }

    @Test
    void aRevealedConversationKeyOpensTheResultAsTheClientDoes() {
        byte[] key = org.fedai.nostr.Nip44.conversationKey(CLIENT.secretKey(), NODE.publicKey());
        assertThat(JobProgressCodecs.decodeResult(resultEvent, key).orElseThrow()).isEqualTo(result);
        byte[] wrong = org.fedai.nostr.Nip44.conversationKey(ROUTER.secretKey(), NODE.publicKey());
        assertThat(reason(JobProgressCodecs.decodeResult(resultEvent, wrong))).isEqualTo(Reason.UNDECRYPTABLE);
        assertThat(reason(JobProgressCodecs.decodeResult(resultEvent, new byte[3]))).isEqualTo(Reason.UNDECRYPTABLE);
    }

    @Test
    void tamperedOutputIsInconsistent() {
        Event tampered = resealed(resultEvent, NODE, CLIENT, s -> s.replace("hello", "HELLO"));
        assertThat(reason(JobProgressCodecs.decodeResult(tampered, CLIENT))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void publicHashMustMatchSealedHash() {
        Event e = withTags(resultEvent, replacing(resultEvent, "x", "00".repeat(32)));
        Event resigned = EventSigner.sign(new UnsignedEvent(e.createdAt(), e.kind(), e.tags(), e.content()), NODE);
        assertThat(reason(JobProgressCodecs.decodeResult(resigned, CLIENT))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void largeOutputSplitsAtCodePointsAndReassembles() {
        String output = "🐈 long output ".repeat(10_000);
        List<JobResult> parts = JobProgressCodecs.split(JOB, "text", output, 1, "job");
        assertThat(parts).hasSizeGreaterThan(1);
        List<JobResult> received = new ArrayList<>();
        for (JobResult part : parts) {
            Event e = EventSigner.sign(JobProgressCodecs.encodeResult(part, NODE, CLIENT.publicKey(), NOW), NODE);
            assertThat(e.content().length()).isLessThan(60 * 1024);
            received.add(JobProgressCodecs.decodeResult(e, CLIENT).orElseThrow());
        }
        Collections.reverse(received);
        assertThat(JobProgressCodecs.assemble(received).orElseThrow()).isEqualTo(output);
    }

    @Test
    void missingOrTamperedPartFailsAssembly() {
        List<JobResult> parts = new ArrayList<>(JobProgressCodecs.split(JOB, "text", "y".repeat(100_000), 1, "job"));
        JobResult first = parts.get(0);
        List<JobResult> missing = parts.subList(1, parts.size());
        assertThat(reason(JobProgressCodecs.assemble(missing))).isEqualTo(Reason.INCONSISTENT);
        parts.set(0, new JobResult(JOB, "text", "z" + first.output().substring(1), 1, first.parts(),
                first.outputSha256(), 1, "job"));
        assertThat(reason(JobProgressCodecs.assemble(parts))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void chunkRoundTripsAndIsSealed() {
        StreamChunk chunk = new StreamChunk(JOB, 3, "tok");
        Event e = EventSigner.sign(JobProgressCodecs.encodeChunk(chunk, NODE, CLIENT.publicKey(), NOW), NODE);
        assertThat(JobProgressCodecs.decodeChunk(e, CLIENT).orElseThrow()).isEqualTo(chunk);
        assertThat(reason(JobProgressCodecs.decodeChunk(e, ROUTER))).isEqualTo(Reason.NOT_FOR_US);
        assertThat(KindSchemas.violations(e, open(e, CLIENT))).isEmpty();
        Event negative = resealed(e, NODE, CLIENT, s -> s.replace("\"seq\":3", "\"seq\":-3"));
        assertThat(reason(JobProgressCodecs.decodeChunk(negative, CLIENT))).isEqualTo(Reason.MALFORMED_CONTENT);
    }
}
