package org.fedai.fl.secagg;

import java.util.List;

/** How a secure-aggregation instance ended: the exact sum of the survivors' inputs, or a clean abort. */
public sealed interface SecAggOutcome {

    /** The sum mod 2^32 of the quantized inputs of exactly these contributors. */
    record Sum(int[] values, List<String> contributors, List<String> dropped) implements SecAggOutcome {
    }

    /** Too few participants or shares to finish; nothing about any input was revealed. */
    record Aborted(String reason) implements SecAggOutcome {
    }
}
