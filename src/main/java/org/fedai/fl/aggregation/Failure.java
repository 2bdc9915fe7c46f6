package org.fedai.fl.aggregation;

/** A participant (or group) that gave no usable update this round, and why: dropout, rejection, abort. */
public record Failure(String source, String reason) {
}
