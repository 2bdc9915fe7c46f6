package org.fedai.payment.nwc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedai.nostr.Json;

/**
 * The decrypted content of a NIP-47 notification (kind 23197, legacy 23196):
 * {@code {"notification_type": ..., "notification": {transaction fields...}}}.
 *
 * @param settleDeadline hold_invoice_accepted only: the block height by which the receiver must settle
 *                       or cancel; null otherwise or when the wallet does not say
 */
public record NwcNotification(NwcNotificationType type, NwcTransaction transaction, Long settleDeadline) {

    public NwcNotification {
        if (type == null || transaction == null) {
            throw new IllegalArgumentException("type and transaction are required");
        }
    }

    public static String toJson(NwcNotification n) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("notification_type", n.type().wire());
        ObjectNode body = n.transaction().toJson();
        Nip47Fields.put(body, "settle_deadline", n.settleDeadline());
        root.set("notification", body);
        return root.toString();
    }

    public static NwcNotification parse(String json) {
        JsonNode root = Nip47Fields.parseObject(json);
        String name = Nip47Fields.text(root, "notification_type");
        NwcNotificationType type = NwcNotificationType.fromWire(name).orElseThrow(() -> new Nip47Exception(
                Nip47Exception.Reason.UNKNOWN_METHOD, "unknown notification_type " + name, name));
        JsonNode body = Nip47Fields.object(root, "notification");
        return new NwcNotification(type, NwcTransaction.fromJson(body), Nip47Fields.optLong(body, "settle_deadline"));
    }
}
