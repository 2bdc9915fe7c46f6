package org.fedai.payment.nwc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedai.nostr.Json;

/**
 * The decrypted content of a NIP-47 response (kind 23195):
 * {@code {"result_type": ..., "error": {"code", "message"} | null, "result": {...} | null}}.
 * Exactly one of {@code error} and {@code result} is non-null. {@code resultType} is a string, not a
 * {@link NwcMethod}, because a service echoes methods it does not know when it answers NOT_IMPLEMENTED.
 */
public record NwcResponse(String resultType, Error error, NwcResult result) {

    /**
     * A NIP-47 error. A code this library does not know reads as OTHER, and the original code is kept
     * at the front of the message, so nothing the wallet said is lost.
     */
    public record Error(NwcErrorCode code, String message) {
        public Error {
            if (code == null) {
                throw new IllegalArgumentException("code is required");
            }
            message = message == null ? "" : message;
        }
    }

    public NwcResponse {
        if (resultType == null) {
            throw new IllegalArgumentException("result_type is required");
        }
        if ((error == null) == (result == null)) {
            throw new IllegalArgumentException("exactly one of error and result must be set");
        }
    }

    public static NwcResponse success(NwcMethod method, NwcResult result) {
        return new NwcResponse(method.wire(), null, result);
    }

    public static NwcResponse failure(String resultType, NwcErrorCode code, String message) {
        return new NwcResponse(resultType, new Error(code, message), null);
    }

    public boolean isError() {
        return error != null;
    }

    public static String toJson(NwcResponse response) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("result_type", response.resultType());
        if (response.error() != null) {
            root.putObject("error").put("code", response.error().code().name())
                    .put("message", response.error().message());
            root.putNull("result");
        } else {
            root.putNull("error");
            root.set("result", NwcResult.toJson(response.result()));
        }
        return root.toString();
    }

    /** Parses a response's JSON text; a result for a method fedai does not speak is refused as UNKNOWN_METHOD. */
    public static NwcResponse parse(String json) {
        JsonNode root = Nip47Fields.parseObject(json);
        if (Nip47Fields.present(root, "error")) {
            // a service that could not decrypt or read a request cannot name its method: allow "" for errors
            String errorType = Nip47Fields.optText(root, "result_type");
            String resultType = errorType == null ? "" : errorType;
            JsonNode e = Nip47Fields.object(root, "error");
            String code = Nip47Fields.text(e, "code");
            String message = Nip47Fields.optText(e, "message");
            NwcErrorCode known = NwcErrorCode.fromWire(code).orElse(null);
            if (known == null) {
                return failure(resultType, NwcErrorCode.OTHER, code + ": " + (message == null ? "" : message));
            }
            return failure(resultType, known, message);
        }
        String resultType = Nip47Fields.text(root, "result_type");
        NwcMethod method = NwcMethod.fromWire(resultType).orElseThrow(() -> new Nip47Exception(
                Nip47Exception.Reason.UNKNOWN_METHOD, "unknown result_type " + resultType, resultType));
        return success(method, NwcResult.fromJson(method, Nip47Fields.object(root, "result")));
    }
}
