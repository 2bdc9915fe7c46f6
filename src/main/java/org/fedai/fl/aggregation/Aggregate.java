package org.fedai.fl.aggregation;

import java.util.List;
import java.util.Map;

/** A rule's verdict: the update to apply, which inputs it used and which it set aside (with why). */
public record Aggregate(double[] delta, List<String> used, Map<String, String> excluded) {
}
