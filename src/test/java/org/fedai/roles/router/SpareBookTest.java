package org.fedai.roles.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Secp256k1Keys;
import org.fedai.payment.DevWallet;
import org.fedai.payment.DevWalletNetwork;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.JobBinding;
import org.fedai.payment.SpareBinding;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.CapabilityManifestCodec;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.PaymentTerms;
import org.fedai.protocol.SpareInvoice;
import org.fedai.roles.common.Counters;
import org.fedai.store.RouterLedger;
import org.fedai.store.WalletLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's book of spare invoices (4402-invoice.md, "Spare invoices"): a node's spare is kept only when a client
 * of this router could pay it, else refused with a counted reason; a node's stock per price and kind is bounded by
 * what a quote could still carry; and the router keeps its own fee spares ahead of a node's first job.
 */
class SpareBookTest {

    private static final long PRICE = 1000;

    @TempDir
    Path dir;
    private final AtomicLong seconds = new AtomicLong(Instant.now().getEpochSecond());
    private final InstantSource clock = () -> Instant.ofEpochSecond(seconds.get());
    private final KeyPair routerKeys = KeyPair.generate();
    private final KeyPair nodeKeys = KeyPair.generate();
    private final Counters counters = new Counters();
    private final NodeRegistry registry = new NodeRegistry(clock, counters, Map.of(), (k, v) -> { });
    private DevWalletNetwork wallets;
    private DevWallet nodeWallet;
    private DevWallet routerWallet;
    private RouterLedger ledger;
    private SpareBook book;

    @BeforeEach
    void open() {
        wallets = new DevWalletNetwork(WalletLedger.open(dir.resolve("wallets.db")), Clock.systemUTC());
        nodeWallet = wallets.wallet("node", Secp256k1Keys.generateSecretKey());
        routerWallet = wallets.wallet("router", Secp256k1Keys.generateSecretKey());
        ledger = RouterLedger.open(dir.resolve("router.db"));
        RouterConfig config = RouterConfig.defaults(routerKeys).withClock(clock);
        book = new SpareBook(config, ledger.spares(), registry, routerWallet, new DefaultPricingPolicy(config.fee()),
                counters);
    }

    @AfterEach
    void close() {
        ledger.close();
        wallets.close();
    }

    @Test
    void aNodeKeepsAtMostFourQuotableSparesPerPriceAndKindAndOnesNearTheirExpiryDoNotCount() {
        registry.onManifest(manifest("text", PRICE, 0));
        for (int i = 0; i < SpareBook.MAX_PER_PRICE; i++) {
            book.onSpare(spare(PRICE, false, nodeWallet, bound(), 240));
        }
        assertThat(counters.get("4402:spare_kept")).isEqualTo(SpareBook.MAX_PER_PRICE);
        book.onSpare(spare(PRICE, false, nodeWallet, bound(), 3600));
        assertThat(counters.byReason("spares_full")).isOne();
        book.onSpare(spare(PRICE, true, nodeWallet, bound(), 3600));
        assertThat(counters.get("4402:spare_kept")).as("a hold spare: the other kind").isEqualTo(5);

        // a minute on, the four would expire while a client may still pay on a quote: the node's replacements count
        seconds.addAndGet(61);
        book.onSpare(spare(PRICE, false, nodeWallet, bound(), 3600));
        assertThat(counters.get("4402:spare_kept")).isEqualTo(6);
        assertThat(counters.byReason("spares_full")).isOne();
    }

    @Test
    void aSpareNoClientOfThisRouterCouldPayIsRefusedWithItsReason() {
        Event beforeManifest = spare(PRICE, false, nodeWallet, bound(), 3600);
        book.onSpare(beforeManifest);
        assertThat(counters.byReason("spare_from_unknown_node")).isOne();
        registry.onManifest(manifest("text", PRICE, 0));

        book.onSpare(spare(PRICE, false, routerWallet, bound(), 3600));
        assertThat(counters.byReason("invoice_payee_not_declared")).isOne();
        InvoiceResult.Created other = invoice(nodeWallet, InvoiceRequest.spare(PRICE + 1, bound(), 3600));
        book.onSpare(sealed(new SpareInvoice("a".repeat(64), other.bolt11(), PRICE, other.expiresAt(), false)));
        assertThat(counters.byReason("spare_amount_differs")).isOne();
        InvoiceResult.Created forJob = invoice(nodeWallet, InvoiceRequest.forJob(PRICE,
                new JobBinding("b".repeat(64)), 3600));
        book.onSpare(sealed(new SpareInvoice("a".repeat(64), forJob.bolt11(), PRICE, forJob.expiresAt(), false)));
        assertThat(counters.byReason("spare_not_bound_to_router")).isOne();
        book.onSpare(spare(PRICE, false, nodeWallet, bound(), 60));
        assertThat(counters.byReason("invoice_expired")).as("not payable past a quote's lifetime").isOne();

        book.onSpare(beforeManifest);
        book.onSpare(beforeManifest);
        assertThat(counters.get("4402:spare_kept")).as("the first good one, kept once").isOne();
        assertThat(counters.byReason("duplicate")).isOne();
    }

    @Test
    void aNodesManifestBringsTwoFeeSparesAtTheFeeOfOneText() {
        // a second model priced per byte: no one size is likely, no fee spare is made for it
        registry.onManifest(manifest(List.of(new CapabilityManifest.Price("m", "text", PRICE, 0),
                new CapabilityManifest.Price("m2", "byte", 7, 0))));
        LiveNode node = registry.node(PublicKey.of(nodeKeys.publicKey())).orElseThrow();
        book.feesAhead(node.manifest());
        DefaultPricingPolicy pricing = new DefaultPricingPolicy(RouterConfig.defaults(routerKeys).fee());
        Msat fee = pricing.routerFee(Msat.of(PRICE));
        PublicKey me = PublicKey.of(routerKeys.publicKey());
        await().atMost(Duration.ofSeconds(10)).until(() -> held(me, fee) == SpareBook.FEE_DEPTH);
        book.feesAhead(node.manifest()); // renewed: the two are held, none more is made
        book.keepFeesAhead(); // the minute's renewal for every live node: likewise
        assertThat(held(me, fee)).isEqualTo(SpareBook.FEE_DEPTH);
        assertThat(held(me, pricing.routerFee(Msat.of(7)))).as("the per-byte price's fee").isZero();
    }

    @Test
    void theMinutesRenewalMakesFeeSparesForEveryLiveNode() {
        registry.onManifest(manifest("text", PRICE, 0));
        book.keepFeesAhead();
        Msat fee = new DefaultPricingPolicy(RouterConfig.defaults(routerKeys).fee()).routerFee(Msat.of(PRICE));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> held(PublicKey.of(routerKeys.publicKey()), fee) == SpareBook.FEE_DEPTH);
    }

    @Test
    void feesAreKeptAheadForAtMostSixteenFeesTheFirstSeenFirst() {
        int prices = SpareBook.MAX_FEES_AHEAD + 4;
        List<CapabilityManifest.Price> many = new ArrayList<>();
        for (int i = 0; i < prices; i++) {
            many.add(new CapabilityManifest.Price("m" + i, "text", PRICE + 100L * i, 0)); // each its own fee
        }
        registry.onManifest(manifest(many));
        book.feesAhead(registry.node(PublicKey.of(nodeKeys.publicKey())).orElseThrow().manifest());
        PublicKey me = PublicKey.of(routerKeys.publicKey());
        DefaultPricingPolicy pricing = new DefaultPricingPolicy(RouterConfig.defaults(routerKeys).fee());
        List<Msat> fees = many.stream().map(p -> pricing.routerFee(Msat.of(p.msatPerUnit()))).toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> fees.stream().mapToLong(f -> held(me, f)).sum()
                >= (long) SpareBook.FEE_DEPTH * SpareBook.MAX_FEES_AHEAD);
        assertThat(fees.subList(0, SpareBook.MAX_FEES_AHEAD)).allMatch(f -> held(me, f) == SpareBook.FEE_DEPTH);
        assertThat(fees.subList(SpareBook.MAX_FEES_AHEAD, prices)).allMatch(f -> held(me, f) == 0);
    }

    private long held(PublicKey owner, Msat amount) {
        return ledger.spares().held(owner, amount, false, 0);
    }

    private SpareBinding bound() {
        return new SpareBinding(routerKeys.publicKey());
    }

    private Event spare(long amount, boolean hold, DevWallet payee, SpareBinding binding, long lifetime) {
        InvoiceResult.Created made = invoice(payee, InvoiceRequest.spare(amount, binding, lifetime));
        return sealed(new SpareInvoice("a".repeat(64), made.bolt11(), amount, made.expiresAt(), hold));
    }

    private static InvoiceResult.Created invoice(DevWallet wallet, InvoiceRequest request) {
        return (InvoiceResult.Created) wallet.makeInvoice(request);
    }

    private Event sealed(SpareInvoice spare) {
        return EventSigner.sign(PaymentCodecs.encodeSpare(spare, nodeKeys, routerKeys.publicKey(), seconds.get()),
                nodeKeys);
    }

    private Event manifest(String unit, long perUnit, long min) {
        return manifest(List.of(new CapabilityManifest.Price("m", unit, perUnit, min)));
    }

    private Event manifest(List<CapabilityManifest.Price> prices) {
        CapabilityManifest m = new CapabilityManifest("n1", "fedai/0.1.0", Set.of(CapabilityManifest.Role.INFERENCE),
                prices.stream().map(p -> new CapabilityManifest.ModelOffer(p.model(), "embedding", 0)).toList(),
                prices,
                new CapabilityManifest.Limits(1, 0),
                new PaymentTerms(Set.of(PaymentTiming.BEFORE), nodeWallet.nodeId(), "regtest"), Map.of(), Map.of(),
                List.of(), seconds.get() + 3600);
        return EventSigner.sign(CapabilityManifestCodec.encode(m, seconds.get()), nodeKeys);
    }
}
