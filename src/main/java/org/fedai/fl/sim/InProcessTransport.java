package org.fedai.fl.sim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.fedai.fl.secagg.SecAggMessage;

/** Direct delivery between objects in one JVM; a vanished participant neither sends nor receives. */
public final class InProcessTransport implements RoundTransport {

    private final Set<String> vanished = ConcurrentHashMap.newKeySet();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong payloadBytes = new AtomicLong();

    @Override
    public void vanish(String participant) {
        vanished.add(participant);
    }

    @Override
    public boolean hasVanished(String participant) {
        return vanished.contains(participant);
    }

    @Override
    public boolean carry(String from, String to, SecAggMessage message) {
        if (vanished.contains(from) || vanished.contains(to)) {
            return false;
        }
        messages.incrementAndGet();
        payloadBytes.addAndGet(payloadSize(message));
        return true;
    }

    @Override
    public long messages() {
        return messages.get();
    }

    @Override
    public long payloadBytes() {
        return payloadBytes.get();
    }

    /** Raw payload bytes (keys, ciphertexts, words), before any event framing. */
    static long payloadSize(SecAggMessage m) {
        return switch (m) {
            case SecAggMessage.EnrollmentKeys k -> 64;
            case SecAggMessage.EncryptedShare s -> s.nonce().length + s.ciphertext().length;
            case SecAggMessage.MaskedUpdate u -> 4L * u.masked().length;
            case SecAggMessage.UnmaskRequest r -> 32L * (r.survivors().size() + r.dropped().size());
            case SecAggMessage.UnmaskResponse r -> 37L * (r.selfMaskShares().size() + r.maskKeyShares().size());
        };
    }
}
