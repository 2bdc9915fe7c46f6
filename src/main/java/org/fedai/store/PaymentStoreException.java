package org.fedai.store;

/** A payment-store failure (disk, corruption, locking): not a caller's mistake, so unchecked and distinct. */
public class PaymentStoreException extends RuntimeException {

    public PaymentStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
