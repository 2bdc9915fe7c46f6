package org.fedai.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedai.domain.PaymentTiming;
import org.fedai.nostr.Hex;
import org.fedai.nostr.Sha256;

/**
 * Kind 4400 (event-kinds/4400-job-request.md): the spec goes to a router, the input itself only to the
 * node the router chose, so the router never sees what is computed.
 */
public sealed interface JobRequest {

    long expiresAt();

    /** What the client wants, sent to a router: no input, only its commitment. */
    record Spec(String model, String task, String inputSha256, long inputBytes, long units, long maxPriceMsat,
            Constraints constraints, PaymentTiming timing, long deliverBy, long expiresAt, boolean paysQuotedInvoices,
            EarlyInput earlyInput) implements JobRequest {

        /** {@code earlyInput} null: the input follows the quote (EarlyInput: it travels with the spec). */
        public Spec(String model, String task, String inputSha256, long inputBytes, long units, long maxPriceMsat,
                Constraints constraints, PaymentTiming timing, long deliverBy, long expiresAt,
                boolean paysQuotedInvoices) {
            this(model, task, inputSha256, inputBytes, units, maxPriceMsat, constraints, timing, deliverBy, expiresAt,
                    paysQuotedInvoices, null);
        }

        /** A spec from a client that pays only invoices sent apart from the quote (what every spec once meant). */
        public Spec(String model, String task, String inputSha256, long inputBytes, long units, long maxPriceMsat,
                Constraints constraints, PaymentTiming timing, long deliverBy, long expiresAt) {
            this(model, task, inputSha256, inputBytes, units, maxPriceMsat, constraints, timing, deliverBy, expiresAt,
                    false);
        }

        /** The same spec, saying whether its client pays invoices carried in the quote (4400-job-request.md). */
        public Spec payingQuotedInvoices(boolean v) {
            return new Spec(model, task, inputSha256, inputBytes, units, maxPriceMsat, constraints, timing, deliverBy,
                    expiresAt, v, earlyInput);
        }

        /** The same spec carrying its input sealed for candidate nodes (null: none). */
        public Spec withEarlyInput(EarlyInput v) {
            return new Spec(model, task, inputSha256, inputBytes, units, maxPriceMsat, constraints, timing, deliverBy,
                    expiresAt, paysQuotedInvoices, v);
        }
    }

    /** Allow and deny lists of node pubkeys (allow empty = any) and an optional locality band. */
    record Constraints(Set<String> allowNodes, Set<String> denyNodes, String locality) {
        public Constraints {
            allowNodes = Set.copyOf(allowNodes);
            denyNodes = Set.copyOf(denyNodes);
            locality = locality == null ? "" : locality;
        }

        public static Constraints none() {
            return new Constraints(Set.of(), Set.of(), "");
        }

        public boolean permits(String nodePubkey) {
            return !denyNodes.contains(nodePubkey) && (allowNodes.isEmpty() || allowNodes.contains(nodePubkey));
        }
    }

    /** The input, sent to the chosen node after the quote; {@code jobId} is the spec event's id. */
    record Input(String jobId, List<String> texts, Map<String, String> params, long expiresAt) implements JobRequest {
        public Input {
            texts = List.copyOf(texts);
            params = Map.copyOf(params);
        }

        /** The commitment the spec carries: sha256 over each text as 4-byte length then UTF-8 bytes. */
        public String commitment() {
            return commitmentOf(texts);
        }

        public long bytes() {
            return texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
        }
    }

    static String commitmentOf(List<String> texts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String text : texts) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
            out.writeBytes(utf8);
        }
        return Hex.encode(Sha256.hash(out.toByteArray()));
    }
}
