package org.fedai.nostr.relay;

/** A refusal: its reason (counted, prefixed) and the human detail after the prefix. */
record Rejection(RejectReason reason, String detail) {

    String message() {
        return reason.message(detail);
    }
}
