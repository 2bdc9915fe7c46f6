package org.fedai.payment;

import org.fedai.nostr.Hex;

/**
 * One entry of a BOLT #11 {@code r} field: a private channel from {@code nodeId} towards the payee,
 * with the fees and CLTV delta of its channel_update (BOLT #7).
 */
public record RouteHop(byte[] nodeId, long shortChannelId, long feeBaseMsat, long feeProportionalMillionths,
                       int cltvExpiryDelta) {

    /** Bytes per hop on the wire: 33 + 8 + 4 + 4 + 2. */
    static final int WIRE_LENGTH = 51;

    public RouteHop {
        if (nodeId == null || nodeId.length != 33) {
            throw new IllegalArgumentException("route hop node id must be a 33-byte compressed key");
        }
        nodeId = nodeId.clone();
        if (feeBaseMsat < 0 || feeBaseMsat > 0xFFFFFFFFL || feeProportionalMillionths < 0
                || feeProportionalMillionths > 0xFFFFFFFFL || cltvExpiryDelta < 0 || cltvExpiryDelta > 0xFFFF) {
            throw new IllegalArgumentException("route hop fee or cltv delta out of its wire range");
        }
    }

    @Override
    public byte[] nodeId() {
        return nodeId.clone();
    }

    public String nodeIdHex() {
        return Hex.encode(nodeId);
    }

    /** The BOLT #7 human form block x transaction x output. */
    public String shortChannelIdString() {
        return (shortChannelId >>> 40) + "x" + ((shortChannelId >>> 16) & 0xFFFFFF) + "x" + (shortChannelId & 0xFFFF);
    }
}
