package org.fedai.roles.client;

import java.util.Optional;
import org.fedai.domain.PublicKey;

/**
 * What {@link ClientJobMachine} may know beyond the job: the client's key, the Lightning keys its peers declared
 * (signed Nostr events, LightningKeyDirectory) and whether anyone pays external jobs. Read-only lookups, no I/O.
 */
interface ClientContext {

    /** The client's public key (hex). */
    PublicKey me();

    /** The Lightning node key {@code nostrKey} declared, hex; empty when it declared none. */
    Optional<String> lightningKeyOf(PublicKey nostrKey);

    /** Whether an outside payer takes the invoices of timing-external jobs. */
    boolean paysExternally();
}
