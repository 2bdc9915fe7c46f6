package org.fedai.fl.round;

/** A participant's share of a round: the weight it stood for, validated quality, share of the reward in [0, 1]. */
public record Contribution(double weight, double quality, double share, String reason) {
}
