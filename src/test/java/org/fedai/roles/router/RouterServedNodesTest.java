package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Event;
import org.fedai.protocol.Quote;
import org.fedai.testing.RelayTest;
import org.fedai.testing.market.ScriptedPeer;
import org.junit.jupiter.api.Test;

/**
 * A router limited to its served nodes (the router a node run alone with {@code fedai node --nip90} keeps beside
 * itself) quotes only them, however cheap the other live nodes are, and prices NIP-90 bids on them alone.
 */
@RelayTest
class RouterServedNodesTest extends MarketFixtureTest {

    @Test
    void quotesOnlyItsServedNodeThoughAnotherIsCheaper() {
        ScriptedPeer cheaper = market.node("node-a", 500, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer own = market.node("node-b", 1500, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        market.config = market.config.withServedNodes(Set.of(own.key()));
        RouterRole router = market.startRouter();
        market.awaitLive(cheaper, own);

        Event spec = market.spec(client);
        Quote quote = market.quote(client, spec.id(), 1);
        assertThat(quote.node()).isEqualTo(own.pubkey());
        assertThat(quote.fallback()).as("the cheaper node is not even the fallback").isEmpty();
        assertThat(quote.nodePriceMsat()).isEqualTo(3000);
        assertThat(market.quotes(cheaper, spec.id())).isZero();
        assertThat(router.servedLiveNodes()).extracting(LiveNode::pubkey).containsExactly(own.key());
    }

    @Test
    void withNoServedNodesEveryLiveNodeIsACandidate() {
        ScriptedPeer cheaper = market.node("node-a", 500, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer other = market.node("node-b", 1500, Set.of(PaymentTiming.BEFORE));
        ScriptedPeer client = market.client("client");
        RouterRole router = market.startRouter();
        market.awaitLive(cheaper, other);

        Quote quote = market.quote(client, market.spec(client).id(), 1);
        assertThat(quote.node()).isEqualTo(cheaper.pubkey());
        assertThat(quote.fallback()).isEqualTo(other.pubkey());
        assertThat(router.servedLiveNodes()).hasSize(2);
    }
}
