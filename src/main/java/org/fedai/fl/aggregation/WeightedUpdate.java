package org.fedai.fl.aggregation;

/**
 * One input to an aggregation rule: a client's update, or a secure group's mean update.
 *
 * @param source who produced it (participant or group id)
 * @param delta  the model update (new - old parameters)
 * @param weight the sample count (or the group's total) it stands for
 */
public record WeightedUpdate(String source, double[] delta, double weight) {
}
