package org.fedai.fl.he;

import java.util.List;
import org.fedai.fl.Rejection;

/** What the key holder answers for an aggregate: the decoded sum, or a refusal with its reason. */
public sealed interface HeOutcome {

    /**
     * @param values the sum of the contributors' dequantized inputs
     * @param levels the exact integer sum of their quantized inputs, slot by slot
     */
    record Sum(double[] values, long[] levels, List<String> contributors) implements HeOutcome {
    }

    record Refused(Rejection rejection) implements HeOutcome {
    }
}
