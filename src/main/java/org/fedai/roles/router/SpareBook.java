package org.fedai.roles.router;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import org.fedai.domain.JobId;
import org.fedai.domain.Msat;
import org.fedai.domain.PublicKey;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.payment.Bolt11Codec;
import org.fedai.payment.Bolt11Invoice;
import org.fedai.payment.InvoiceRequest;
import org.fedai.payment.InvoiceResult;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.SpareBinding;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.Decoded;
import org.fedai.protocol.FedaiKind;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.PaymentCodecs;
import org.fedai.protocol.SpareInvoice;
import org.fedai.roles.common.Counters;
import org.fedai.roles.common.InFlight;
import org.fedai.roles.router.machine.Offer;
import org.fedai.roles.router.machine.QuotedSpares;
import org.fedai.roles.router.machine.RouterTiming;
import org.fedai.store.RouterSpares;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spare invoices this router may quote (4402-invoice.md, "Spare invoices"): its nodes' spares, checked as a
 * client would check them before they are kept, and its own for its fee, made ahead on a thread of their own. A spec
 * whose client pays quoted invoices takes the chosen node's spare at its price (a plain one for {@code before},
 * {@code after} and {@code external}, a hold one for {@code hold} and {@code atomic}) and a fee spare at the fee, so
 * that the quote goes out with both and the client pays in the next hop: no wallet call of the node's or the router's
 * stands between the spec and the client's payment (issue 17).
 */
final class SpareBook {

    private static final Logger LOG = LoggerFactory.getLogger(SpareBook.class);
    /**
     * A node may keep this many untaken spares per price and kind here that a quote could still carry: enough for a
     * burst and for those replacing spares near their expiry, not a store for its invoices.
     */
    static final int MAX_PER_PRICE = 4;
    /** How long the router's own fee spares stay payable. */
    static final Duration FEE_SPARE_LIFETIME = Duration.ofHours(1);
    /** Fee spares kept per fee: one for the next spec and one for the spec after it, as a node keeps its own. */
    static final int FEE_DEPTH = 2;
    /**
     * Fees kept ahead of any quote for nodes' manifests, at once: nodes publishing many prices may not fill the
     * router's wallet with open invoices (a fee past the bound gets its spares once a quote asks for it).
     */
    static final int MAX_FEES_AHEAD = 16;

    private final RouterConfig config;
    private final RouterSpares spares;
    private final NodeRegistry registry;
    private final PaymentBackend wallet;
    private final Counters counters;
    private final PublicKey me;
    private final SpareBinding binding;
    private final PricingPolicy pricing;
    /** Fee spares asked of the wallet and not yet answered, per fee: they count as held. */
    private final InFlight<Long> makingFees = new InFlight<>();
    /** The fees kept ahead, each while a manifest priced at it was seen within the hour. */
    private final Cache<Long, Boolean> aheadFees = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1))
            .build();

    SpareBook(RouterConfig config, RouterSpares spares, NodeRegistry registry, PaymentBackend wallet,
            PricingPolicy pricing, Counters counters) {
        this.pricing = pricing;
        this.config = config;
        this.spares = spares;
        this.registry = registry;
        this.wallet = wallet;
        this.counters = counters;
        this.me = PublicKey.of(config.keys().publicKey());
        this.binding = new SpareBinding(me.hex());
    }

    /** A node's 4402 {@code spare}: kept when it is an invoice a client of this router could pay; else counted. */
    void onSpare(Event event) {
        long now = nowSeconds();
        SpareInvoice spare;
        switch (PaymentCodecs.decodeSpare(event, config.keys(), now)) {
            case Decoded.Rejected<SpareInvoice> r -> {
                counters.count(FedaiKind.INVOICE, r.rejection().reason().code());
                return;
            }
            case Decoded.Accepted<SpareInvoice> a -> spare = a.value();
        }
        Bolt11Invoice decoded;
        try {
            decoded = Bolt11Codec.decode(spare.bolt11());
        } catch (RuntimeException e) {
            counters.count(FedaiKind.INVOICE, "malformed_bolt11");
            return;
        }
        PublicKey node = PublicKey.of(event.pubkey());
        Optional<String> refusal = refusal(node, spare, decoded, now);
        if (refusal.isPresent()) {
            counters.count(FedaiKind.INVOICE, refusal.get());
        } else if (spares.keep(new RouterSpares.Spare(decoded.paymentHashHex(), node, Msat.of(spare.amountMsat()),
                spare.bolt11(), decoded.expiresAt(), spare.hold()))) {
            counters.increment("4402:spare_kept");
        } else {
            counters.count(FedaiKind.INVOICE, "duplicate"); // delivered again: kept once
        }
    }

    private Optional<String> refusal(PublicKey node, SpareInvoice spare, Bolt11Invoice decoded, long now) {
        Optional<LiveNode> live = registry.node(node);
        if (live.isEmpty()) {
            return Optional.of("spare_from_unknown_node");
        }
        if (!decoded.payeeHex().equals(live.get().manifest().payment().lightningPubkey())) {
            return Optional.of("invoice_payee_not_declared");
        }
        if (decoded.amountMsat().isEmpty() || decoded.amountMsat().getAsLong() != spare.amountMsat()) {
            return Optional.of("spare_amount_differs");
        }
        if (!binding.boundTo(decoded)) {
            return Optional.of("spare_not_bound_to_router");
        }
        if (decoded.expiresAt() <= payableAt(now)) {
            return Optional.of("invoice_expired");
        }
        if (spares.held(node, Msat.of(spare.amountMsat()), spare.hold(), payableAt(now)) >= MAX_PER_PRICE) {
            return Optional.of("spares_full");
        }
        return Optional.empty();
    }

    /**
     * For an admitted spec: the spares its quote to {@code chosen} may carry, taken for {@code job} (none unless the
     * client said it pays quoted invoices). A fee spare used, or missing, is made again for the next spec.
     * A {@code before} spare is a hold invoice the node settles as the work starts, on the router's order: sent on the
     * node's accepted under {@code run_on_payment}, else once the client proved the fee (RouterTiming).
     */
    QuotedSpares take(JobRequest.Spec spec, JobId job, Offer chosen) {
        if (!spec.paysQuotedInvoices()) {
            return QuotedSpares.NONE;
        }
        long payable = payableAt(nowSeconds());
        Optional<String> node = spec.timing().paidBySpare() ? spares.take(chosen.node(), chosen.nodePrice(),
                spec.timing().paidIntoHoldSpare(), payable, job).map(RouterSpares.Spare::bolt11) : Optional.empty();
        Optional<RouterSpares.Spare> fee = chosen.fee().isZero() ? Optional.empty()
                : spares.take(me, chosen.fee(), false, payable, job);
        if (!chosen.fee().isZero()) {
            topUpFee(chosen.fee());
        }
        if (node.isPresent()) {
            counters.increment("4401:node_spare_quoted");
        }
        return new QuotedSpares(node.orElse(""), fee.map(RouterSpares.Spare::bolt11).orElse(""),
                fee.map(RouterSpares.Spare::paymentHash).orElse(""));
    }

    /**
     * A node's manifest, new or renewed: fee spares at the fee of a job of one unit at each of its prices (the price a
     * spec of one text is quoted at), so that the first such spec is quoted with one. Prices per byte are left to the
     * first job at them: no one size is likely. At most {@link #MAX_FEES_AHEAD} fees are kept so, the first seen first.
     */
    void feesAhead(CapabilityManifest manifest) {
        for (CapabilityManifest.Price price : manifest.prices()) {
            if (price.unit().equals("byte")) {
                continue;
            }
            Msat fee = pricing.routerFee(Msat.of(price.msatFor(1)));
            aheadFees.cleanUp();
            if (fee.isZero() || aheadFees.getIfPresent(fee.value()) == null
                    && aheadFees.estimatedSize() >= MAX_FEES_AHEAD) {
                continue;
            }
            aheadFees.put(fee.value(), true);
            topUpFee(fee);
        }
    }

    /**
     * Every minute: fee spares ahead again for every live node, as those held are taken or expire (a fee spare lives
     * an hour, a manifest is renewed far less often).
     */
    void keepFeesAhead() {
        registry.live().forEach(node -> feesAhead(node.manifest()));
    }

    /**
     * Makes fee spares at {@code fee} until {@link #FEE_DEPTH} are held or being made, all that are missing at once,
     * each on a virtual thread of its own: off the router's state thread.
     */
    private void topUpFee(Msat fee) {
        long missing = FEE_DEPTH - spares.held(me, fee, false, payableAt(nowSeconds()))
                - makingFees.count(fee.value());
        for (long i = 0; i < missing; i++) {
            makingFees.started(fee.value());
            Thread.ofVirtual().name("fee-spare").start(() -> makeFeeSpare(fee));
        }
    }

    private void makeFeeSpare(Msat fee) {
        try {
            InvoiceResult made = wallet.makeInvoice(InvoiceRequest.spare(fee.value(), binding,
                    FEE_SPARE_LIFETIME.toSeconds()));
            if (made instanceof InvoiceResult.Created c) {
                spares.keep(new RouterSpares.Spare(Hex.encode(c.paymentHash()), me, fee, c.bolt11(),
                        c.expiresAt(), false));
            } else {
                LOG.info("no fee spare at {}: {}", fee, made);
            }
        } catch (RuntimeException e) {
            LOG.warn("fee spare at {} failed", fee, e);
        } finally {
            makingFees.ended(fee.value());
        }
    }

    /** Forgets expired spares. */
    void prune() {
        spares.prune(nowSeconds());
    }

    /** A spare quoted now must stay payable while the client may still pay on this quote, and a little more. */
    private long payableAt(long now) {
        return now + config.quoteLifetime().toSeconds() + 60;
    }

    private long nowSeconds() {
        return config.clock().instant().getEpochSecond();
    }
}
