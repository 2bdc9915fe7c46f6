package org.fedai.fl.sim;

import org.fedai.fl.secagg.SecAggMessage;

/**
 * The seam where the relay goes: every protocol message of a secure round passes through carry()
 * on its way between a participant and the aggregator. In process it is a function call (with
 * dropouts and accounting); over Nostr ({@code org.fedai.roles.fl.RelayRoundTransport}) it publishes
 * the message as signed federation events and waits for them on the other side.
 */
public interface RoundTransport {

    String AGGREGATOR = "aggregator";

    /** Carries the message from sender to receiver; false when it never arrives (either end vanished). */
    boolean carry(String from, String to, SecAggMessage message);

    /** From now on this participant is gone (crash, network loss, quit): it neither sends nor receives. */
    void vanish(String participant);

    boolean hasVanished(String participant);

    /** Messages delivered so far. */
    long messages();

    /** Bytes moved so far: raw payload in process, whole signed events over a relay. */
    long payloadBytes();
}
