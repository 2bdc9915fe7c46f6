package org.fedai.roles.node.machine;

/** How one run of the runner went: the 4406 output (type, string, units), or why it failed. */
public sealed interface RunOutcome {

    record Done(String outputType, String output, long units, String unit) implements RunOutcome {
    }

    record Failed(String reason) implements RunOutcome {
    }
}
