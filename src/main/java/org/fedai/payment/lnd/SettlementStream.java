package org.fedai.payment.lnd;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.fedai.nostr.Sha256;
import org.fedai.payment.PaymentBackend;
import org.fedai.payment.Settlement;
import org.lightningj.lnd.proto.LightningApi.Invoice;
import org.lightningj.lnd.proto.LightningApi.InvoiceSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * lnrpc SubscribeInvoices as a stream of {@link Settlement}s that survives LND restarts: when the stream
 * breaks it is reopened after a pause (doubling to a minute) with {@code settle_index} set to the last
 * settlement delivered, so LND replays the settlements made while we were away and none is lost.
 * A settlement is passed on only with a preimage that hashes to the invoice's payment hash.
 */
final class SettlementStream implements PaymentBackend.Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementStream.class);
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);

    private final LndChannel lnd;
    private final ScheduledExecutorService timer;
    private final Consumer<Settlement> listener;
    private volatile long settleIndex;
    private volatile boolean closed;
    private volatile Context.CancellableContext current;
    private volatile Duration pause;

    SettlementStream(LndChannel lnd, ScheduledExecutorService timer, Consumer<Settlement> listener) {
        this.lnd = lnd;
        this.timer = timer;
        this.listener = listener;
        this.pause = lnd.config().resubscribeAfter();
    }

    synchronized SettlementStream open() {
        if (closed) {
            return this;
        }
        // from ROOT: a caller's own gRPC context ending must not end our subscription
        Context.CancellableContext context = Context.ROOT.withCancellation();
        current = context;
        // 0 asks for new settlements only; a positive index replays every settlement after it
        InvoiceSubscription from = InvoiceSubscription.newBuilder().setSettleIndex(settleIndex).build();
        context.run(() -> lnd.lightningStreams().subscribeInvoices(from, new StreamObserver<>() {
            @Override
            public void onNext(Invoice invoice) {
                pause = lnd.config().resubscribeAfter(); // a live stream resets the back-off
                deliver(invoice);
            }

            @Override
            public void onError(Throwable t) {
                reopenLater(LndError.of(t, lnd.config().address()).detail());
            }

            @Override
            public void onCompleted() {
                reopenLater("LND ended the invoice stream");
            }
        }));
        return this;
    }

    private void deliver(Invoice invoice) {
        if (invoice.getState() != Invoice.InvoiceState.SETTLED) {
            return;
        }
        byte[] hash = invoice.getRHash().toByteArray();
        byte[] preimage = invoice.getRPreimage().toByteArray();
        if (preimage.length != 32 || !Arrays.equals(Sha256.hash(preimage), hash)) {
            LOG.warn("LND reported settled invoice {} without a preimage that proves it; ignored", invoice.getSettleIndex());
            return;
        }
        settleIndex = Math.max(settleIndex, invoice.getSettleIndex());
        try {
            listener.accept(new Settlement(hash, invoice.getAmtPaidMsat(), preimage, invoice.getSettleDate()));
        } catch (RuntimeException e) {
            LOG.warn("settlement listener failed", e); // one listener's bug must not end the stream
        }
    }

    private synchronized void reopenLater(String why) {
        if (closed) {
            return;
        }
        LOG.info("settlement stream broke ({}); reopening in {} ms from settle index {}", why, pause.toMillis(), settleIndex);
        Duration wait = pause;
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        try {
            timer.schedule(this::open, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException backendClosed) {
            closed = true;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        Context.CancellableContext c = current;
        if (c != null) {
            c.cancel(null);
        }
    }
}
