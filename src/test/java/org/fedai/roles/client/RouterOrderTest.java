package org.fedai.roles.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.RouterAnnouncement.ProbationState;
import org.fedai.protocol.RouterAnnouncement;
import org.fedai.protocol.RouterAnnouncementCodec;
import org.junit.jupiter.api.Test;

class RouterOrderTest {

    private static final long NOW = System.currentTimeMillis() / 1000;

    static Event announcement(KeyPair keys, RouterAnnouncement.Probation probation) {
        return EventSigner.sign(RouterAnnouncementCodec.encode(new RouterAnnouncement("r", "test",
                new RouterAnnouncement.Fee(100, 10_000), new PaymentTerms(Set.of(PaymentTiming.BEFORE),
                        "03" + "cd".repeat(32), "regtest"), new RouterAnnouncement.Policy(1_000_000, 0, 60), probation,
                Map.of(), List.of(), NOW + 3600), NOW), keys);
    }

    static RouterAnnouncement.Probation graduated(long requiredJobs, long requiredStake) {
        return new RouterAnnouncement.Probation(ProbationState.ACTIVE, 120, requiredJobs, 2000, requiredStake,
                250_000, 100_000, 65_536, "");
    }

    @Test
    void graduatedRoutersComeFirstEachGroupInTheOperatorsOrder() {
        KeyPair inProbation = KeyPair.generate();
        KeyPair active = KeyPair.generate();
        KeyPair laxTerms = KeyPair.generate();
        KeyPair unannounced = KeyPair.generate();
        KeyPair activeToo = KeyPair.generate();
        LightningKeyDirectory directory = new LightningKeyDirectory();
        assertThat(directory.accept(announcement(inProbation, new RouterAnnouncement.Probation(
                ProbationState.PROBATION, 3, 50, 0, 1000, 250_000, 100_000, 65_536, "")), NOW)).isNull();
        assertThat(directory.accept(announcement(active, graduated(50, 1000)), NOW)).isNull();
        // "active" under terms of its own making (5 jobs) does not count as graduated under the standard
        assertThat(directory.accept(announcement(laxTerms, graduated(5, 1000)), NOW)).isNull();
        assertThat(directory.accept(announcement(activeToo, graduated(100, 1000)), NOW)).isNull();

        List<PublicKey> configured = keys(inProbation, laxTerms, active, unannounced, activeToo);
        assertThat(RouterOrder.of(configured, directory)).containsExactlyElementsOf(keys(active, activeToo,
                inProbation, laxTerms, unannounced));
    }

    private static List<PublicKey> keys(KeyPair... pairs) {
        return java.util.Arrays.stream(pairs).map(k -> PublicKey.of(k.publicKey())).toList();
    }
}
