package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedai.protocol.ProtocolFixtures.CLIENT;
import static org.fedai.protocol.ProtocolFixtures.NODE;
import static org.fedai.protocol.ProtocolFixtures.NOW;
import static org.fedai.protocol.ProtocolFixtures.ROUTER;
import static org.fedai.protocol.ProtocolFixtures.withContent;

import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.protocol.Rejection.Reason;
import org.junit.jupiter.api.Test;

class MeteringCodecsTest {

    static final String JOB = "ab".repeat(32);
    static final MeteringRecord RECORD = new MeteringRecord(JOB, CLIENT.publicKey(), ROUTER.publicKey(), "m", 8,
            "text", 8000, List.of("cd".repeat(32)), "ef".repeat(32), NOW - 2, NOW - 1);

    private final Event record = EventSigner.sign(MeteringCodecs.encodeRecord(RECORD, NOW), NODE);
    private final MeteringReceipt receipt = new MeteringReceipt(record.id(), JOB, NODE.publicKey(),
            CLIENT.publicKey(), 8, 8000, 42);
    private final Event receiptEvent = EventSigner.sign(MeteringCodecs.encodeReceipt(receipt, NOW), ROUTER);

    private static <T> Reason reason(Decoded<T> d) {
        return d instanceof Decoded.Rejected<T> r ? r.rejection().reason() : null;
    }

    @Test
    void emptyContentIsMalformed() {
        assertThat(reason(MeteringCodecs.decodeRecord(withContent(record, "")))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void kindsAreNotInterchangeable() {
        assertThat(reason(MeteringCodecs.decodeReceipt(record))).isEqualTo(Reason.WRONG_KIND);
    }

    @Test
    void bothRoundTripAndConformToTheirSchemas() {
        assertThat(MeteringCodecs.decodeRecord(record).orElseThrow()).isEqualTo(RECORD);
        assertThat(MeteringCodecs.decodeReceipt(receiptEvent).orElseThrow()).isEqualTo(receipt);
        assertThat(KindSchemas.violations(record)).isEmpty();
        assertThat(KindSchemas.violations(receiptEvent)).isEmpty();
    }

    @Test
    void recordThatEndsBeforeItStarts() {
        Event e = withContent(record, record.content().replace("\"finished_at\":" + (NOW - 1),
                "\"finished_at\":" + (NOW - 3)));
        assertThat(reason(MeteringCodecs.decodeRecord(e))).isEqualTo(Reason.INCONSISTENT);
    }

    @Test
    void recordForAnotherJob() {
        Event e = withContent(record, record.content().replace("\"job\":\"" + JOB, "\"job\":\"" + "99".repeat(32)));
        assertThat(reason(MeteringCodecs.decodeRecord(e))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void receiptForAnotherRecord() {
        Event e = withContent(receiptEvent, receiptEvent.content().replace(record.id(), "99".repeat(32)));
        assertThat(reason(MeteringCodecs.decodeReceipt(e))).isEqualTo(Reason.MALFORMED_CONTENT);
    }

    @Test
    void malformedPaymentHash() {
        Event e = withContent(record, record.content().replace("cd".repeat(32), "cd"));
        assertThat(reason(MeteringCodecs.decodeRecord(e))).isEqualTo(Reason.MALFORMED_CONTENT);
    }
}
