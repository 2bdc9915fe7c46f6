package org.fedai.testing.market;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.pool.RelayPool;
import org.fedai.payment.PaymentBackend;
import org.fedai.roles.node.NodeConfig;
import org.fedai.roles.node.NodeRole;
import org.fedai.roles.node.RouterTrust;
import org.fedai.runner.Runner;
import org.fedai.runner.profile.CapabilityBands;
import org.fedai.runner.profile.CapabilityProfile;
import org.fedai.store.NodeJobJournal;

/**
 * One node of the market, named by its wallet account (its journal is {@code <account>.db}): its keys and journal
 * outlive the role, so a test can stop it as a crash would and start it again, or play it by hand under the same
 * keys and wallet. Set it up, then {@link #start}.
 */
public final class MarketNode {

    public static final CapabilityProfile PROFILE = new CapabilityProfile("fedai test",
            new CapabilityBands("linux-x86_64", CapabilityBands.Size.SMALL, CapabilityBands.Size.MEDIUM,
                    CapabilityBands.Size.SMALL, CapabilityBands.Gpu.NONE, CapabilityBands.Simd.AVX2),
            List.of(), Optional.empty(), Optional.empty());

    public final String account;
    public final KeyPair keys = KeyPair.generate();
    private final TestMarket market;
    private String nodeId;
    private UnaryOperator<NodeConfig> configure = UnaryOperator.identity();
    private Runner runner;
    private InstantSource clock = InstantSource.system();
    private boolean sparesAhead;
    private NodeJobJournal journal;
    private final RunningRole<NodeRole> running;

    MarketNode(TestMarket market, String account) {
        this.market = market;
        this.account = account;
        this.running = new RunningRole<>(account);
        this.nodeId = account;
    }

    public PublicKey publicKey() {
        return PublicKey.of(keys.publicKey());
    }

    /** The name in the node's manifest (its account's name unless set). */
    public MarketNode nodeId(String id) {
        this.nodeId = id;
        return this;
    }

    /** Changes {@link #config()} for every start from here on. */
    public MarketNode configure(UnaryOperator<NodeConfig> change) {
        UnaryOperator<NodeConfig> before = configure;
        this.configure = c -> change.apply(before.apply(c));
        return this;
    }

    public MarketNode runner(Runner r) {
        this.runner = r;
        return this;
    }

    public MarketNode clock(InstantSource c) {
        this.clock = c;
        return this;
    }

    /** The defaults on the market's relay, trusting the market's router alone, as {@link #configure}d. */
    public NodeConfig config() {
        return configure.apply(NodeConfig.defaults(keys, nodeId).withRelays(List.of(market.relayUrl()))
                .withRouters(RouterTrust.only(Set.of(market.router().publicKey()))));
    }

    /** Whether the node keeps spare invoices ahead for the routers it serves (NodeRole#keepSparesAhead). */
    public MarketNode sparesAhead(boolean on) {
        sparesAhead = on;
        return this;
    }

    public NodeRole start() throws Exception {
        return start(config(), runner, wallet());
    }

    /** Starts the node with what this start alone differs in: another config, runner or wallet. */
    public NodeRole start(NodeConfig config, Runner with, PaymentBackend paying) throws Exception {
        running.requireStopped();
        if (with == null) {
            throw new IllegalStateException(account + " has no runner: set one, or play the node by hand");
        }
        RelayPool pool = market.newPool();
        NodeRole role = running.started(pool, new NodeRole(config, clock, pool, journal(), paying, with, PROFILE)
                .keepSparesAhead(sparesAhead));
        role.start();
        return role;
    }

    /** Stops the node as a crash would leave it: the journal and the wallet stay, nothing else. */
    public void stop() {
        running.stop();
    }

    public boolean running() {
        return running.running();
    }

    public NodeRole role() {
        return running.get();
    }

    public Runner runner() {
        return runner;
    }

    public PaymentBackend wallet() {
        return market.wallets().wallet(account);
    }

    /** The node's journal, opened on first use and kept across restarts. */
    public NodeJobJournal journal() {
        if (journal == null) {
            journal = NodeJobJournal.open(market.dir().resolve(account + ".db"));
        }
        return journal;
    }

    /** The journal closed and opened again from its file, as a process restart finds it. */
    public NodeJobJournal reopenJournal() {
        closeJournal();
        return journal();
    }

    void closeJournal() {
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }
}
