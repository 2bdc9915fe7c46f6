package org.fedai.roles.client;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The client's threads: {@code jobs}, the one thread on which every job changes (so a job needs no lock and its
 * inputs are taken in the order they came); {@code payments}, where the wallet is asked to pay (a payment may take
 * seconds and must not hold up the other jobs), and {@code feePayments} for routers' fee invoices, so that a fee and a
 * node's price can be paid at once while one invoice is never paid on two threads; {@code timers}, which only say
 * when a delay is over.
 */
record ClientThreads(ExecutorService jobs, ExecutorService payments, ExecutorService feePayments,
        ScheduledThreadPoolExecutor timers) {

    static ClientThreads start() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("client-timers").daemon().factory());
        timers.setRemoveOnCancelPolicy(true); // an ended job's deadline leaves the queue with it
        return new ClientThreads(
                Executors.newSingleThreadExecutor(Thread.ofPlatform().name("client-jobs").daemon().factory()),
                Executors.newSingleThreadExecutor(Thread.ofPlatform().name("client-payments").daemon().factory()),
                Executors.newSingleThreadExecutor(Thread.ofPlatform().name("client-fee-payments").daemon().factory()),
                timers);
    }

    /** Runs {@code task} after {@code delayMs}; nothing when the client is closing (the journal has what matters). */
    void after(long delayMs, Runnable task) {
        try {
            timers.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the client is closing: what was paid is journaled, the next start proves it
        }
    }

    void close() {
        timers.shutdownNow();
        jobs.shutdown();
        payments.shutdown();
        feePayments.shutdown();
    }
}
