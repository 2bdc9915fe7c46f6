package org.fedai.testing.market;

import org.fedai.nostr.pool.RelayPool;

/**
 * A seat's role while it runs, with the relay pool it owns: stopped as a crash would leave it (the seat's keys,
 * journal and wallet stay), and started again on a fresh pool.
 */
final class RunningRole<R extends AutoCloseable> {

    private final String account;
    private RelayPool pool;
    private R role;

    RunningRole(String account) {
        this.account = account;
    }

    void requireStopped() {
        if (role != null) {
            throw new IllegalStateException(account + " is running");
        }
    }

    /** {@code started}, now running on {@code ownPool}, which it closes with the role. */
    R started(RelayPool ownPool, R started) {
        pool = ownPool;
        role = started;
        return started;
    }

    void stop() {
        if (role == null) {
            return;
        }
        try {
            role.close();
        } catch (Exception e) {
            throw new IllegalStateException(account + " did not close", e);
        } finally {
            pool.close();
            role = null;
        }
    }

    boolean running() {
        return role != null;
    }

    R get() {
        if (role == null) {
            throw new IllegalStateException(account + " is not running");
        }
        return role;
    }
}
