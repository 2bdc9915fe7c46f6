package org.fedai.roles.client;

import java.util.ArrayList;
import java.util.List;
import org.fedai.domain.PublicKey;

/**
 * The order in which a client tries its routers: those whose newest 31401 shows them graduated from probation
 * under fedai's documented standard first, then the others, each group in the operator's order. A router in
 * probation answers only a share of small specs, so trying a graduated one first saves a quote timeout.
 */
final class RouterOrder {

    private RouterOrder() {
    }

    static List<PublicKey> of(List<PublicKey> configured, LightningKeyDirectory directory) {
        List<PublicKey> out = new ArrayList<>();
        configured.stream().filter(directory::graduated).forEach(out::add);
        configured.stream().filter(r -> !directory.graduated(r)).forEach(out::add);
        return out;
    }
}
