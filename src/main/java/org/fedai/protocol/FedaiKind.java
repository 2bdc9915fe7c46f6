package org.fedai.protocol;

import java.util.Arrays;
import java.util.Optional;

/** The fedai kinds that have a codec and a spec file in event-kinds/ (a test keeps the two in step). */
public enum FedaiKind {
    CAPABILITY_MANIFEST(31400, "capability-manifest"),
    ROUTER_ANNOUNCEMENT(31401, "router-announcement"),
    STAKE_BOND(31402, "stake-bond"),
    NODE_ATTESTATION(31403, "node-attestation"),
    JOB_REQUEST(4400, "job-request"),
    QUOTE(4401, "quote"),
    INVOICE(4402, "invoice"),
    PAYMENT_PROOF(4403, "payment-proof"),
    WORK_ORDER(4404, "work-order"),
    JOB_STATUS(4405, "job-status"),
    JOB_RESULT(4406, "job-result"),
    METERING_RECORD(4407, "metering-record"),
    METERING_RECEIPT(4408, "metering-receipt"),
    SLASH_CLAIM(4409, "slash-claim"),
    HEARTBEAT(24400, "heartbeat"),
    STREAM_CHUNK(24401, "stream-chunk");

    private final int number;
    private final String slug;

    FedaiKind(int number, String slug) {
        this.number = number;
        this.slug = slug;
    }

    public int number() {
        return number;
    }

    /** The spec's file name stem: {@code event-kinds/<number>-<slug>.md}. */
    public String specName() {
        return number + "-" + slug;
    }

    public static Optional<FedaiKind> of(int kind) {
        return Arrays.stream(values()).filter(k -> k.number == kind).findFirst();
    }
}
