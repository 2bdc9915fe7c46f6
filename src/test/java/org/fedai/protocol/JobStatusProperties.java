package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;

/** 4405 round-trips for any state, message and (on an error) reason code; any other reason is refused. */
class JobStatusProperties {

    private static final String JOB = "ab".repeat(32);

    @Property(tries = 200)
    void statusesRoundTripAndConformToTheSchema(@ForAll("statuses") JobStatus s) {
        Event event = EventSigner.sign(JobProgressCodecs.encodeStatus(s, ProtocolFixtures.NOW), ProtocolFixtures.ROUTER);
        assertThat(JobProgressCodecs.decodeStatus(event).orElseThrow()).isEqualTo(s);
        assertThat(KindSchemas.violations(event)).isEmpty();
    }

    @Property(tries = 200)
    void aReasonThatIsNotACodeIsRefused(@ForAll("notCodes") String reason) {
        JobStatus error = new JobStatus(JOB, ProtocolFixtures.CLIENT.publicKey(), ProtocolFixtures.ROUTER.publicKey(),
                JobStatus.State.ERROR, "", "");
        List<List<String>> tags = new java.util.ArrayList<>(JobProgressCodecs.encodeStatus(error,
                ProtocolFixtures.NOW).tags());
        tags.add(List.of("reason", reason));
        Event event = EventSigner.sign(new org.fedai.nostr.UnsignedEvent(ProtocolFixtures.NOW, 4405, tags, ""),
                ProtocolFixtures.ROUTER);
        assertThat(JobProgressCodecs.decodeStatus(event).isAccepted()).isFalse();
    }

    @Provide
    Arbitrary<JobStatus> statuses() {
        Arbitrary<String> codes = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_")
                .ofMinLength(1).ofMaxLength(64);
        Arbitrary<String> messages = Arbitraries.strings().ofMaxLength(1024);
        return Combinators.combine(Arbitraries.of(JobStatus.State.class), messages, codes.injectNull(0.3))
                .as((state, message, code) -> new JobStatus(JOB, ProtocolFixtures.CLIENT.publicKey(),
                        ProtocolFixtures.ROUTER.publicKey(), state, message,
                        state == JobStatus.State.ERROR && code != null ? code : ""));
    }

    @Provide
    Arbitrary<String> notCodes() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(80)
                .filter(s -> !s.isEmpty() && !JobStatus.validReason(s));
    }
}
