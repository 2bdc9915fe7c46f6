package org.fedai.protocol;

import static org.fedai.protocol.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.fedai.nostr.Event;
import org.fedai.nostr.Json;
import org.fedai.nostr.UnsignedEvent;

/** Codecs of 4407 metering record (node) and 4408 metering receipt (router). Public, plain JSON. */
public final class MeteringCodecs {

    private MeteringCodecs() {
    }

    public static UnsignedEvent encodeRecord(MeteringRecord r, long createdAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("e", r.jobId()));
        tags.add(1, List.of("p", r.router()));
        tags.add(2, List.of("p", r.client()));
        ObjectNode root = Json.MAPPER.createObjectNode().put("job", r.jobId()).put("client", r.client())
                .put("router", r.router()).put("model", r.model()).put("units", r.units()).put("unit", r.unit())
                .put("price_msat", r.priceMsat()).put("output_sha256", r.outputSha256())
                .put("started_at", r.startedAt()).put("finished_at", r.finishedAt());
        JsonFields.putTextArray(root, "payment_hashes", r.paymentHashes());
        tags.add(MarketLifetimes.expiration(createdAt, MarketLifetimes.BOOKS));
        return new UnsignedEvent(createdAt, FedaiKind.METERING_RECORD.number(), tags, root.toString());
    }

    public static Decoded<MeteringRecord> decodeRecord(Event event) {
        try {
            CommonTags.check(event, FedaiKind.METERING_RECORD);
            JsonNode root = JsonFields.parseObject(event.content());
            String job = JsonFields.hex32(root, "job");
            if (!job.equals(CommonTags.required(event, "e"))) {
                throw invalid("job differs from the e tag");
            }
            List<String> hashes = new ArrayList<>();
            for (JsonNode h : JsonFields.array(root, "payment_hashes", false)) {
                if (!h.isTextual() || !org.fedai.nostr.Hex.isLowerHex(h.asText(), 32)) {
                    throw invalid("payment_hashes must hold 64-hex hashes");
                }
                hashes.add(h.asText());
            }
            long started = JsonFields.nonNegativeLong(root, "started_at");
            long finished = JsonFields.nonNegativeLong(root, "finished_at");
            if (finished < started) {
                throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "finished_at before started_at");
            }
            return Decoded.accepted(new MeteringRecord(job, JsonFields.hex32(root, "client"),
                    JsonFields.hex32(root, "router"), JsonFields.text(root, "model"),
                    JsonFields.nonNegativeLong(root, "units"), JsonFields.text(root, "unit"),
                    JsonFields.nonNegativeLong(root, "price_msat"), hashes, JsonFields.hex32(root, "output_sha256"),
                    started, finished));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }

    public static UnsignedEvent encodeReceipt(MeteringReceipt r, long createdAt) {
        List<List<String>> tags = CommonTags.base();
        tags.add(0, List.of("e", r.recordId()));
        tags.add(1, List.of("p", r.node()));
        tags.add(2, List.of("p", r.client()));
        ObjectNode root = Json.MAPPER.createObjectNode().put("record", r.recordId()).put("job", r.jobId())
                .put("node", r.node()).put("client", r.client()).put("units", r.units())
                .put("price_msat", r.priceMsat()).put("ledger_seq", r.ledgerSequence());
        tags.add(MarketLifetimes.expiration(createdAt, MarketLifetimes.BOOKS));
        return new UnsignedEvent(createdAt, FedaiKind.METERING_RECEIPT.number(), tags, root.toString());
    }

    public static Decoded<MeteringReceipt> decodeReceipt(Event event) {
        try {
            CommonTags.check(event, FedaiKind.METERING_RECEIPT);
            JsonNode root = JsonFields.parseObject(event.content());
            String record = JsonFields.hex32(root, "record");
            if (!record.equals(CommonTags.required(event, "e"))) {
                throw invalid("record differs from the e tag");
            }
            return Decoded.accepted(new MeteringReceipt(record, JsonFields.hex32(root, "job"),
                    JsonFields.hex32(root, "node"), JsonFields.hex32(root, "client"),
                    JsonFields.nonNegativeLong(root, "units"), JsonFields.nonNegativeLong(root, "price_msat"),
                    JsonFields.nonNegativeLong(root, "ledger_seq")));
        } catch (InvalidContentException e) {
            return Decoded.rejected(e.reason(), e.getMessage());
        }
    }
}
