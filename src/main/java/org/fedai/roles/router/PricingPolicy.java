package org.fedai.roles.router;

import java.util.Optional;
import org.fedai.domain.PaymentTiming;
import org.fedai.domain.Msat;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.JobRequest;

/** What a job costs: the node's price from its manifest, and the router's own fee on top. */
public interface PricingPolicy {

    /** The node's price for this spec, or empty when the node prices no such work. */
    Optional<Msat> nodePrice(CapabilityManifest manifest, JobRequest.Spec spec);

    /** The router's fee for a job whose node price is {@code nodePrice}. */
    Msat routerFee(Msat nodePrice);

    /** The fee for a spec of this timing: none where the timing has no payment to carry one. */
    default Msat routerFee(Msat nodePrice, PaymentTiming timing) {
        return timing.feeFree() ? Msat.ZERO : routerFee(nodePrice);
    }
}
