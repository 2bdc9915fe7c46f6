package org.fedai.payment;

import org.fedai.nostr.Hex;

/**
 * What a payment proof must show, as the router knows it before the proof arrives: the node's
 * Lightning key from its signed capability manifest, the quoted amount, the chain, and the job.
 *
 * @param payeeNodeId     33-byte compressed Lightning node id the invoice must be signed by
 * @param descriptionHash what the invoice must commit to: the job binding's hash ({@link JobBinding#descriptionHash()}), or
 *                        for a spare the quote named, the router's ({@link SpareBinding#descriptionHash()})
 * @param context         what the proof pays for, recorded beside the spent hash (the job event id)
 */
public record PaymentExpectation(byte[] payeeNodeId, long amountMsat, Bolt11Network network,
                                 byte[] descriptionHash, String context) {

    public PaymentExpectation {
        if (payeeNodeId == null || payeeNodeId.length != 33 || descriptionHash == null || descriptionHash.length != 32) {
            throw new IllegalArgumentException("payee node id must be 33 bytes and description hash 32");
        }
        if (amountMsat <= 0 || network == null) {
            throw new IllegalArgumentException("a positive amount and a network are required");
        }
        payeeNodeId = payeeNodeId.clone();
        descriptionHash = descriptionHash.clone();
    }

    public static PaymentExpectation forJob(String payeeNodeIdHex, long amountMsat, Bolt11Network network,
                                            JobBinding job) {
        return new PaymentExpectation(Hex.decodeFixed(payeeNodeIdHex, 33), amountMsat, network,
                job.descriptionHash(), job.jobEventId());
    }

    @Override
    public byte[] payeeNodeId() {
        return payeeNodeId.clone();
    }

    @Override
    public byte[] descriptionHash() {
        return descriptionHash.clone();
    }

    // the verifier reads these without copying: it never lets them escape
    byte[] payeeView() {
        return payeeNodeId;
    }

    byte[] descriptionHashView() {
        return descriptionHash;
    }
}
