package org.fedai.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.fedai.domain.WorkAuthorization;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;
import org.junit.jupiter.api.Test;

/**
 * Every market event a role signs carries a NIP-40 expiration at its kind's lifetime, so relays drop what the
 * protocol no longer needs (event-kinds/market-flow.md, "How long events live").
 */
class MarketLifetimesTest {

    private static final long T = 1_800_000_000L;
    private final KeyPair a = KeyPair.generate();
    private final KeyPair b = KeyPair.generate();
    private final String job = "ab".repeat(32);

    private static long expiration(UnsignedEvent e) {
        return e.tags().stream().filter(t -> t.get(0).equals("expiration")).mapToLong(t -> Long.parseLong(t.get(1)))
                .findFirst().orElseThrow();
    }

    @Test
    void eachMarketKindExpiresAfterItsLifetime() {
        assertThat(expiration(JobProgressCodecs.encodeStatus(new JobStatus(job, a.publicKey(), b.publicKey(),
                JobStatus.State.ACCEPTED, ""), T))).isEqualTo(T + days(30));
        assertThat(expiration(JobProgressCodecs.encodeResult(new JobResult(job, "text", "out", 1, 1,
                JobResult.sha256("out"), 1, "text"), a, b.publicKey(), T))).isEqualTo(T + days(30));
        assertThat(expiration(PaymentCodecs.encodeWorkOrder(new WorkOrder(job, "cd".repeat(32), a.publicKey(),
                WorkAuthorization.FREE, List.of(), T + 60), a, b.publicKey(), T))).isEqualTo(T + days(30));
        assertThat(expiration(PaymentCodecs.encodeProof(new PaymentProof(job, List.of(new PaymentProof.Paid("lnbc1",
                "ef".repeat(32)))), a, b.publicKey(), T))).isEqualTo(T + days(1));
        assertThat(expiration(MeteringCodecs.encodeRecord(new MeteringRecord(job, a.publicKey(), b.publicKey(), "m",
                1, "text", 0, List.of(), JobResult.sha256("out"), T - 2, T - 1), T))).isEqualTo(T + days(90));
        assertThat(expiration(MeteringCodecs.encodeReceipt(new MeteringReceipt("12".repeat(32), job, a.publicKey(),
                b.publicKey(), 1, 0, 1), T))).isEqualTo(T + days(90));
        assertThat(expiration(SlashClaimCodec.encode(new SlashClaim(a.publicKey(), SlashClaim.Reason.NON_DELIVERY,
                List.of("34".repeat(32)), job, "", "silent"), T))).isEqualTo(T + days(365));
    }

    private static long days(int n) {
        return Duration.ofDays(n).toSeconds();
    }
}
