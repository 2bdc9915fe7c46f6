package org.fedai.protocol;

import java.util.function.Function;

/** The result of decoding an event: the typed value, or the reason it was refused. */
public sealed interface Decoded<T> {

    record Accepted<T>(T value) implements Decoded<T> {
    }

    record Rejected<T>(Rejection rejection) implements Decoded<T> {
    }

    static <T> Decoded<T> accepted(T value) {
        return new Accepted<>(value);
    }

    static <T> Decoded<T> rejected(Rejection.Reason reason, String detail) {
        return new Rejected<>(new Rejection(reason, detail));
    }

    default boolean isAccepted() {
        return this instanceof Accepted<T>;
    }

    /** The value; throws IllegalStateException carrying the rejection when there is none. */
    default T orElseThrow() {
        return switch (this) {
            case Accepted<T> a -> a.value();
            case Rejected<T> r -> throw new IllegalStateException(r.rejection().toString());
        };
    }

    default <U> Decoded<U> map(Function<T, U> f) {
        return switch (this) {
            case Accepted<T> a -> new Accepted<>(f.apply(a.value()));
            case Rejected<T> r -> new Rejected<>(r.rejection());
        };
    }
}
