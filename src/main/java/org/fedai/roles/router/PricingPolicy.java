package org.fedai.roles.router;

import java.util.OptionalLong;
import org.fedai.protocol.CapabilityManifest;
import org.fedai.protocol.JobRequest;

/** What a job costs: the node's price from its manifest, and the router's own fee on top. */
public interface PricingPolicy {

    /** The node's price for this spec in msat, or empty when the node prices no such work. */
    OptionalLong nodePriceMsat(CapabilityManifest manifest, JobRequest.Spec spec);

    /** The router's fee for a job whose node price is {@code nodePriceMsat}. */
    long routerFeeMsat(long nodePriceMsat);

    /** The fee for a spec of this timing: none where the timing has no payment to carry one. */
    default long routerFeeMsat(long nodePriceMsat, org.fedai.domain.PaymentTiming timing) {
        return timing.feeFree() ? 0 : routerFeeMsat(nodePriceMsat);
    }
}
