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
    STREAM_CHUNK(24401, "stream-chunk"),
    FEDERATION_TASK(31410, "federation-task"),
    FL_ENROLLMENT(4420, "fl-enrollment"),
    FL_ROSTER(4421, "fl-roster"),
    FL_DATA_CHUNK(4422, "fl-data-chunk"),
    FL_UPDATE_CHUNK(4423, "fl-update-chunk"),
    FL_KEY_SHARE(4424, "fl-key-share"),
    FL_UNMASK_REQUEST(4425, "fl-unmask-request"),
    FL_UNMASK_RESPONSE(4426, "fl-unmask-response"),
    FL_VALIDATION_REPORT(4427, "fl-validation-report"),
    FL_CHECKPOINT_CHUNK(4428, "fl-checkpoint-chunk"),
    FL_REWARD_RECORD(4429, "fl-reward-record"),
    FL_UNMASK_REVEAL(4430, "fl-unmask-reveal");

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
