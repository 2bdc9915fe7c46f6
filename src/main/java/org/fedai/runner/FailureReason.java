package org.fedai.runner;

/** Why a run failed, machine-readable; the node maps these onto job status "error" events. */
public enum FailureReason {
    /** The runner does not do this task, or not with this kind of input. */
    UNSUPPORTED_TASK,
    /** The runner does not serve this model. */
    UNKNOWN_MODEL,
    /** The input breaks the runner's policy: empty, malformed, bad parameters. */
    INVALID_INPUT,
    /** The input is larger than the policy allows. */
    INPUT_TOO_LARGE,
    /** More items in one request than the policy allows. */
    BATCH_TOO_LARGE,
    /** The input holds control characters other than whitespace. */
    CONTROL_CHARACTERS,
    /** The local model server could not be reached. */
    UPSTREAM_UNAVAILABLE,
    /** The model server refused the request (HTTP 4xx). */
    UPSTREAM_REJECTED,
    /** The model server failed (HTTP 5xx, or an error object in the stream). */
    UPSTREAM_ERROR,
    /** The model server answered something that does not follow its wire format. */
    UPSTREAM_PROTOCOL,
    /** The stream ended before the server said it was done. */
    STREAM_INTERRUPTED,
    /** No answer within the deadline. */
    TIMEOUT,
    /** The caller stopped the run (its stream sink threw, or the thread was interrupted). */
    CANCELLED,
    /** A fault inside the runner itself. */
    INTERNAL
}
