package org.fedai.payment.lnd;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.lightningj.lnd.proto.LightningApi.HTLCAttempt;
import org.lightningj.lnd.proto.LightningApi.Payment;

/**
 * Follows one payment's status stream (routerrpc SendPaymentV2 or TrackPaymentV2) until it is final,
 * until an HTLC has been in flight long enough to say the payee holds it (a hold invoice: the payer's
 * LND reports IN_FLIGHT until the payee settles or cancels), or until the deadline. Closing the stream
 * early only stops our watching: LND keeps the payment going, which is why a held payment stays safe.
 */
final class PaymentWatch<Req> implements ClientResponseObserver<Req, Payment> {

    /**
     * How the watch ended; {@code last} is the latest status LND sent, null when none came. Final holds a
     * SUCCEEDED or FAILED payment, except from {@link #first} where it is whatever LND reported first.
     */
    sealed interface Outcome {
        record Final(Payment payment) implements Outcome {
        }

        record Held(Payment last) implements Outcome {
        }

        record Broken(Throwable error, Payment last) implements Outcome {
        }

        record TimedOut(Payment last) implements Outcome {
        }
    }

    private static final Object COMPLETED = new Object();
    private final BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
    private volatile ClientCallStreamObserver<Req> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<Req> requestStream) {
        this.call = requestStream;
    }

    @Override
    public void onNext(Payment value) {
        updates.add(value);
    }

    @Override
    public void onError(Throwable t) {
        updates.add(t);
    }

    @Override
    public void onCompleted() {
        updates.add(COMPLETED);
    }

    /** The first status only, whatever it is (TrackPaymentV2 sends the current state first), as a Final. */
    Outcome first(Duration timeout) {
        try {
            Object next = updates.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return next instanceof Payment p ? stop(new Outcome.Final(p))
                    : next instanceof Throwable t ? new Outcome.Broken(t, null)
                    : stop(new Outcome.TimedOut(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stop(new Outcome.Broken(e, null));
        }
    }

    Outcome await(Duration timeout, Duration pendingAfter) {
        long now = System.nanoTime();
        long deadline = now + timeout.toNanos();
        long heldAt = Long.MAX_VALUE;
        Payment last = null;
        try {
            while (true) {
                now = System.nanoTime();
                if (now - heldAt >= pendingAfter.toNanos()) {
                    return stop(new Outcome.Held(last));
                }
                if (now - deadline >= 0) {
                    return stop(new Outcome.TimedOut(last));
                }
                long wait = Math.min(deadline - now, heldAt == Long.MAX_VALUE ? Long.MAX_VALUE
                        : heldAt + pendingAfter.toNanos() - now);
                Object next = updates.poll(Math.max(1, wait), TimeUnit.NANOSECONDS);
                if (next instanceof Payment p) {
                    last = p;
                    if (p.getStatus() == Payment.PaymentStatus.SUCCEEDED || p.getStatus() == Payment.PaymentStatus.FAILED) {
                        return stop(new Outcome.Final(p));
                    }
                    if (heldAt == Long.MAX_VALUE && htlcInFlight(p)) {
                        heldAt = System.nanoTime();
                    }
                } else if (next instanceof Throwable t) {
                    return new Outcome.Broken(t, last);
                } else if (next == COMPLETED) {
                    return new Outcome.Broken(new IllegalStateException("LND closed the payment stream before a final"
                            + " status"), last);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stop(new Outcome.Broken(e, last));
        }
    }

    private Outcome stop(Outcome outcome) {
        ClientCallStreamObserver<Req> c = call;
        if (c != null) {
            c.cancel("fedai stopped watching this payment", null);
        }
        return outcome;
    }

    static boolean htlcInFlight(Payment p) {
        return p.getHtlcsList().stream().anyMatch(h -> h.getStatus() == HTLCAttempt.HTLCStatus.IN_FLIGHT);
    }
}
