package org.fedai.fl.sim;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedai.fl.round.SecureChannel;
import org.fedai.fl.round.SecureRoundDriver;
import org.fedai.fl.secagg.SecAggClient;
import org.fedai.fl.secagg.SecAggMessage;
import org.fedai.fl.secagg.SecAggMessage.EncryptedShare;
import org.fedai.fl.secagg.SecAggMessage.EnrollmentKeys;
import org.fedai.fl.secagg.SecAggMessage.MaskedUpdate;
import org.fedai.fl.secagg.SecAggMessage.UnmaskRequest;
import org.fedai.fl.secagg.SecAggMessage.UnmaskResponse;
import org.fedai.fl.secagg.SecAggServer;

/**
 * Simulated members behind a {@link RoundTransport}: each holds a {@link SecAggClient} and its quantized input,
 * answers every phase when the driver asks, and every message passes the transport (in process or a relay).
 * Members in {@code dropouts.afterSharing()} vanish once their shares are out (the case dropout recovery exists
 * for), those in {@code afterMasking()} once their masked input is sent.
 *
 * <p>Every message of a phase is carried at once, each on a virtual thread of its own, as the members would send
 * them: over a relay a phase then costs one hop (the unmasking two: request, response), not one hop a message
 * (issue 17: about 95 hops a secure round of 8 members before, 6 after). A member's own state is still touched by one
 * thread at a time: the shares it receives are taken in order once they are all carried.
 */
final class TransportChannel implements SecureChannel {

    private static final String AGG = RoundTransport.AGGREGATOR;

    private final RoundTransport transport;
    private final Map<String, int[]> inputs;
    private final SecureRound.Dropouts dropouts;
    private final Map<String, SecAggClient> clients = new ConcurrentHashMap<>();

    TransportChannel(List<SecureRoundDriver.Group> groups, Map<String, int[]> inputs, RoundTransport transport,
                     SecureRound.Dropouts dropouts, SecureRandom random) {
        this.transport = transport;
        this.inputs = Map.copyOf(inputs);
        this.dropouts = dropouts;
        for (SecureRoundDriver.Group g : groups) {
            for (String p : g.members()) {
                if (inputs.containsKey(p)) {
                    clients.put(p, new SecAggClient(g.config(), p, random));
                }
            }
        }
    }

    /** Runs every task at once and returns their results in order (null where a task gave none). */
    private static <T> List<T> atOnce(List<Callable<T>> tasks) {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> running = threads.invokeAll(tasks);
            List<T> out = new ArrayList<>(running.size());
            for (Future<T> f : running) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while carrying a phase", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a message of the phase failed to be carried", e.getCause());
        }
    }

    /** Carries each message from its sender to its receiver at once; true where it arrived. */
    private List<Boolean> carryAll(List<String> from, List<String> to, List<? extends SecAggMessage> messages) {
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            int at = i;
            tasks.add(() -> transport.carry(from.get(at), to.get(at), messages.get(at)));
        }
        return atOnce(tasks);
    }

    @Override
    public List<EnrollmentKeys> enrollments(SecureRoundDriver.Group group) {
        List<Callable<EnrollmentKeys>> tasks = new ArrayList<>();
        for (String p : group.members()) {
            SecAggClient c = clients.get(p);
            if (c != null) {
                tasks.add(() -> {
                    EnrollmentKeys k = c.advertise();
                    return transport.carry(p, AGG, k) ? k : null;
                });
            }
        }
        return atOnce(tasks).stream().filter(Objects::nonNull).toList();
    }

    @Override
    public Map<String, List<EncryptedShare>> shares(List<SecureRoundDriver.Group> groups, Map<String, List<EnrollmentKeys>> enrolled) {
        List<String> from = new ArrayList<>();
        List<EncryptedShare> all = new ArrayList<>();
        Map<String, List<EncryptedShare>> made = new ConcurrentHashMap<>();
        for (SecureRoundDriver.Group g : groups) {
            for (String p : g.members()) {
                SecAggClient c = clients.get(p);
                if (c == null || transport.hasVanished(c.name())) {
                    continue;
                }
                List<EncryptedShare> shares = c.shareKeys(enrolled.get(g.id()));
                made.put(c.name(), shares);
                shares.forEach(s -> {
                    from.add(c.name());
                    all.add(s);
                });
            }
        }
        List<Boolean> arrived = carryAll(from, java.util.Collections.nCopies(all.size(), AGG), all);
        Map<String, List<EncryptedShare>> whole = new ConcurrentHashMap<>();
        made.forEach((name, shares) -> {
            List<EncryptedShare> delivered = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (from.get(i).equals(name) && arrived.get(i)) {
                    delivered.add(all.get(i));
                }
            }
            if (!shares.isEmpty() && delivered.size() == shares.size()) {
                whole.put(name, delivered);
            }
        });
        return whole;
    }

    @Override
    public void forward(Map<String, List<EncryptedShare>> byAddressee) {
        dropouts.afterSharing().forEach(transport::vanish);
        List<String> to = new ArrayList<>();
        List<EncryptedShare> all = new ArrayList<>();
        for (SecAggClient c : clients.values()) {
            for (EncryptedShare s : byAddressee.getOrDefault(c.name(), List.of())) {
                to.add(c.name());
                all.add(s);
            }
        }
        List<Boolean> arrived = carryAll(java.util.Collections.nCopies(all.size(), AGG), to, all);
        for (int i = 0; i < all.size(); i++) {
            if (arrived.get(i)) {
                clients.get(to.get(i)).receiveShare(all.get(i));
            }
        }
    }

    @Override
    public Map<String, int[]> masked(int round, Set<String> expected) {
        Map<String, int[]> out = new ConcurrentHashMap<>();
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (SecAggClient c : clients.values()) {
            if (transport.hasVanished(c.name())) {
                continue; // gone after sharing: never computes its masked input
            }
            tasks.add(() -> {
                MaskedUpdate m = c.mask(inputs.get(c.name()));
                if (transport.carry(c.name(), AGG, m)) {
                    out.put(c.name(), m.masked());
                }
                return true;
            });
        }
        atOnce(tasks);
        dropouts.afterMasking().forEach(transport::vanish);
        return out;
    }

    @Override
    public List<UnmaskResponse> unmask(Map<String, UnmaskRequest> requests) {
        List<Callable<UnmaskResponse>> tasks = new ArrayList<>();
        requests.values().forEach(req -> {
            for (String p : req.survivors()) {
                SecAggClient c = clients.get(p);
                if (c != null) {
                    // one survivor answers one request: its state is touched by this task alone
                    tasks.add(() -> {
                        if (!transport.carry(AGG, p, req)) {
                            return null;
                        }
                        UnmaskResponse r = c.unmask(req);
                        return transport.carry(p, AGG, r) ? r : null;
                    });
                }
            }
        });
        return atOnce(tasks).stream().filter(Objects::nonNull).toList();
    }

    @Override
    public void reveal(Map<String, SecAggServer.Reveal> reveals) {
        // in process nobody else checks the sum; the relay roles publish it (4430)
    }
}
