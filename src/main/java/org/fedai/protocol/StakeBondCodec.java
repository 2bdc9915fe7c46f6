package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Json;
import org.fedai.nostr.UnsignedEvent;

/** Kind 31402 codec: {@link StakeBond} <-> event. Pure. */
public final class StakeBondCodec {

    public static final long MAX_UNITS = 1_000_000_000L;
    public static final long MIN_HALF_LIFE_SECONDS = 3600;
    public static final long MAX_HALF_LIFE_SECONDS = 365L * 24 * 3600;
    public static final long MAX_LIFETIME_SECONDS = 365L * 24 * 3600;

    private StakeBondCodec() {
    }

    public static UnsignedEvent encode(StakeBond b, long createdAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("d", b.bondId()));
        tags.add(1, List.of("p", b.node()));
        tags.add(List.of("expiration", Long.toString(b.expiresAt())));
        String content = Json.MAPPER.createObjectNode().put("units", b.units())
                .put("half_life_s", b.halfLifeSeconds()).toString();
        return new UnsignedEvent(createdAt, FedaiKind.STAKE_BOND.number(), tags, content);
    }

    public static Decoded<StakeBond> decode(Event event, long now) {
        try {
            CommonTags.check(event, FedaiKind.STAKE_BOND);
            String bondId = CommonTags.identifier(event);
            String node = CommonTags.required(event, "p");
            if (!Hex.isLowerHex(node, 32)) {
                throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, "p must be a pubkey");
            }
            long expiresAt = CommonTags.expiration(event, now, MAX_LIFETIME_SECONDS);
            JsonNode root = JsonFields.parseObject(event.content());
            long units = JsonFields.nonNegativeLong(root, "units");
            if (units < 1 || units > MAX_UNITS) {
                throw JsonFields.invalid("units must be in 1.." + MAX_UNITS);
            }
            long halfLife = JsonFields.nonNegativeLong(root, "half_life_s");
            if (halfLife < MIN_HALF_LIFE_SECONDS || halfLife > MAX_HALF_LIFE_SECONDS) {
                throw JsonFields.invalid("half_life_s must be in " + MIN_HALF_LIFE_SECONDS + ".." + MAX_HALF_LIFE_SECONDS);
            }
            return Decoded.accepted(new StakeBond(bondId, node, units, halfLife, expiresAt));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }
}
