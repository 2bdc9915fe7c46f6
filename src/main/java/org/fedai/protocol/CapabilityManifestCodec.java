package org.fedai.protocol;

import static org.fedai.protocol.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.fedai.nostr.Event;
import org.fedai.nostr.Json;
import org.fedai.nostr.UnsignedEvent;

/** Kind 31400 codec: {@link CapabilityManifest} <-> event. Pure. */
public final class CapabilityManifestCodec {

    /** Manifests are refreshed; one that claims to live longer than a day is refused. */
    public static final long MAX_LIFETIME_SECONDS = 24 * 3600;

    private static final Set<String> UNITS = Set.of("text", "token", "job", "byte");

    private CapabilityManifestCodec() {
    }

    public static UnsignedEvent encode(CapabilityManifest m, long createdAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("d", m.nodeId()));
        for (CapabilityManifest.ModelOffer model : m.models()) {
            tags.add(List.of("m", model.id()));
        }
        tags.add(List.of("expiration", Long.toString(m.expiresAt())));
        return new UnsignedEvent(createdAt, FedaiKind.CAPABILITY_MANIFEST.number(), tags, content(m));
    }

    private static String content(CapabilityManifest m) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("software", m.software());
        ArrayNode roles = root.putArray("roles");
        m.roles().stream().map(CapabilityManifest.Role::code).sorted().forEach(roles::add);
        ArrayNode models = root.putArray("models");
        for (CapabilityManifest.ModelOffer offer : m.models()) {
            models.addObject().put("id", offer.id()).put("task", offer.task())
                    .put("max_input_bytes", offer.maxInputBytes());
        }
        ArrayNode prices = root.putArray("prices");
        for (CapabilityManifest.Price p : m.prices()) {
            prices.addObject().put("model", p.model()).put("unit", p.unit()).put("msat_per_unit", p.msatPerUnit())
                    .put("min_msat", p.minMsat());
        }
        root.putObject("limits").put("max_concurrent_jobs", m.limits().maxConcurrentJobs())
                .put("max_input_bytes", m.limits().maxInputBytes());
        JsonFields.putPaymentTerms(root, m.payment());
        JsonFields.putTextMap(root, "bands", m.bands());
        JsonFields.putNumberMap(root, "benchmarks", m.benchmarks());
        JsonFields.putTextArray(root, "relays", m.relays());
        return root.toString();
    }

    public static Decoded<CapabilityManifest> decode(Event event, long now) {
        try {
            CommonTags.check(event, FedaiKind.CAPABILITY_MANIFEST);
            String nodeId = CommonTags.identifier(event);
            long expiresAt = CommonTags.expiration(event, now, MAX_LIFETIME_SECONDS);
            JsonNode root = JsonFields.parseObject(event.content());
            CapabilityManifest m = fromContent(root, nodeId, expiresAt);
            Set<String> tagged = new TreeSet<>(event.tagValues("m"));
            Set<String> declared = new TreeSet<>();
            m.models().forEach(model -> declared.add(model.id()));
            if (!tagged.equals(declared)) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT,
                        "m tags " + tagged + " differ from models " + declared);
            }
            return Decoded.accepted(m);
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    private static CapabilityManifest fromContent(JsonNode root, String nodeId, long expiresAt)
            throws InvalidContentException {
        String software = JsonFields.text(root, "software");
        Set<CapabilityManifest.Role> roles = EnumSet.noneOf(CapabilityManifest.Role.class);
        for (String role : JsonFields.textArray(root, "roles", true)) {
            roles.add(JsonFields.enumValue(CapabilityManifest.Role.class, role, "role"));
        }
        List<CapabilityManifest.ModelOffer> models = new ArrayList<>();
        Set<String> modelIds = new HashSet<>();
        for (JsonNode model : JsonFields.array(root, "models", false)) {
            String id = JsonFields.text(model, "id");
            if (!modelIds.add(id)) {
                throw invalid("model " + id + " declared twice");
            }
            models.add(new CapabilityManifest.ModelOffer(id, JsonFields.text(model, "task"),
                    JsonFields.optionalNonNegativeLong(model, "max_input_bytes", 0)));
        }
        List<CapabilityManifest.Price> prices = new ArrayList<>();
        for (JsonNode price : root.has("prices") ? JsonFields.array(root, "prices", false) : List.<JsonNode>of()) {
            String model = JsonFields.text(price, "model");
            if (!modelIds.contains(model)) {
                throw invalid("price for undeclared model " + model);
            }
            String unit = JsonFields.text(price, "unit");
            if (!UNITS.contains(unit)) {
                throw invalid("unknown price unit " + unit);
            }
            prices.add(new CapabilityManifest.Price(model, unit, JsonFields.nonNegativeLong(price, "msat_per_unit"),
                    JsonFields.optionalNonNegativeLong(price, "min_msat", 0)));
        }
        CapabilityManifest.Limits limits = new CapabilityManifest.Limits(1, 0);
        if (root.has("limits")) {
            JsonNode l = JsonFields.object(root, "limits");
            limits = new CapabilityManifest.Limits(
                    (int) Math.min(Integer.MAX_VALUE, JsonFields.optionalNonNegativeLong(l, "max_concurrent_jobs", 1)),
                    JsonFields.optionalNonNegativeLong(l, "max_input_bytes", 0));
        }
        return new CapabilityManifest(nodeId, software, roles, models, prices, limits, JsonFields.paymentTerms(root),
                JsonFields.textMap(root, "bands"), JsonFields.numberMap(root, "benchmarks"),
                root.has("relays") ? JsonFields.textArray(root, "relays", false) : List.of(), expiresAt);
    }
}
