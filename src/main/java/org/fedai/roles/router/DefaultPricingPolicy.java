package org.fedai.roles.router;

import java.util.Optional;
import org.fedai.domain.Msat;
import org.fedai.domain.PaymentTiming;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.JobRequest;
import org.fedai.protocol.RouterAnnouncement;

/**
 * The manifest's price for the model: {@code msat_per_unit} times the spec's units in the price's unit
 * ({@code text}/{@code token}: the spec's units, {@code byte}: its input bytes, {@code job}: 1), at least
 * {@code min_msat}; the fee is the announcement's {@code base + price * ppm / 1e6}. A zero price is an offer only
 * to a {@code free} spec from a node that lists {@code free} (a payment proof needs an amount to prove), and
 * free work carries no fee: there is no payment to take it from.
 */
public record DefaultPricingPolicy(RouterAnnouncement.Fee fee) implements PricingPolicy {

    @Override
    public Optional<Msat> nodePrice(CapabilityManifest manifest, JobRequest.Spec spec) {
        for (CapabilityManifest.Price price : manifest.prices()) {
            if (!price.model().equals(spec.model())) {
                continue;
            }
            long units = switch (price.unit()) {
                case "byte" -> spec.inputBytes();
                case "job" -> 1;
                default -> spec.units();
            };
            long msat;
            try {
                msat = price.msatFor(units);
            } catch (ArithmeticException overflow) {
                return Optional.empty();
            }
            boolean free = spec.timing() == PaymentTiming.FREE;
            return msat > 0 && !free || msat == 0 && free && manifest.payment().timing().contains(PaymentTiming.FREE)
                    ? Optional.of(Msat.of(msat)) : Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public Msat routerFee(Msat nodePrice) {
        return nodePrice.isZero() ? Msat.ZERO : Msat.of(fee.forPrice(nodePrice.value()));
    }
}
