package org.fedai.protocol.nip90;

import java.util.OptionalLong;

/** A 6xxx job result as a customer reads it: the payload (decrypted), what it cost, and the request it answers. */
public record Nip90Result(String requestId, int kind, String customer, String content, OptionalLong amountMsat,
        String bolt11, Nip90Encryption encryption, String requestJson) {
}
