package org.fedai.roles.router;

import org.fedai.domain.PublicKey;
import org.fedai.protocol.CapabilityManifest;

/**
 * A node the registry holds as live: its newest verified manifest (per pubkey and {@code d}) and the load
 * its latest heartbeat reported.
 */
public record LiveNode(PublicKey pubkey, CapabilityManifest manifest, long manifestCreatedAt, double load) {

    /** The NIP-01 address heartbeats name: {@code 31400:<pubkey>:<d>}. */
    public String address() {
        return "31400:" + pubkey.hex() + ":" + manifest.nodeId();
    }
}
