package org.fedai.roles.node;

import org.fedai.domain.PublicKey;
import java.util.Set;

/**
 * Which pubkeys a node takes quotes from. Any router for now; a registry of 31401 announcements (or an
 * operator's allow list) slots in here. Whatever the policy, work orders are only taken from the router that
 * quoted the job.
 */
@FunctionalInterface
public interface RouterTrust {

    RouterTrust ANY = pubkey -> true;

    boolean isRouter(PublicKey pubkey);

    static RouterTrust only(Set<PublicKey> pubkeys) {
        Set<PublicKey> allowed = Set.copyOf(pubkeys);
        return allowed::contains;
    }
}
