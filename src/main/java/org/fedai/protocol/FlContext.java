package org.fedai.protocol;

import java.util.Map;

/**
 * What a receiver knows when it decodes a round event: the task's address ({@code 31410:<coordinator>:<d>}),
 * the round it is in, and the roster so far (participant id -> signing pubkey). An empty roster means
 * "not yet known" (enrollment, roster) and skips the sender check.
 */
public record FlContext(String task, int round, Map<String, String> enrolled) {

    public FlContext {
        enrolled = Map.copyOf(enrolled);
    }

    public static String taskAddress(String coordinatorPubkey, String taskId) {
        return FedaiKind.FEDERATION_TASK.number() + ":" + coordinatorPubkey + ":" + taskId;
    }

    public FlContext withRound(int next) {
        return new FlContext(task, next, enrolled);
    }
}
