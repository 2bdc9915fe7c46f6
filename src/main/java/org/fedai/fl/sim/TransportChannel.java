package org.fedai.fl.sim;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.fl.round.SecureChannel;
import org.fedai.fl.round.SecureRoundDriver;
import org.fedai.fl.secagg.SecAggClient;
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

    @Override
    public List<EnrollmentKeys> enrollments(SecureRoundDriver.Group group) {
        List<EnrollmentKeys> out = new ArrayList<>();
        for (String p : group.members()) {
            SecAggClient c = clients.get(p);
            if (c != null) {
                EnrollmentKeys k = c.advertise();
                if (transport.carry(p, AGG, k)) {
                    out.add(k);
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, List<EncryptedShare>> shares(List<SecureRoundDriver.Group> groups, Map<String, List<EnrollmentKeys>> enrolled) {
        Map<String, List<EncryptedShare>> whole = new ConcurrentHashMap<>();
        groups.parallelStream().flatMap(g -> g.members().stream().map(p -> Map.entry(p, g.id()))).forEach(e -> {
            SecAggClient c = clients.get(e.getKey());
            if (c == null || transport.hasVanished(c.name())) {
                return;
            }
            List<EncryptedShare> shares = c.shareKeys(enrolled.get(e.getValue()));
            List<EncryptedShare> delivered = new ArrayList<>();
            for (EncryptedShare s : shares) {
                if (transport.carry(c.name(), AGG, s)) {
                    delivered.add(s);
                }
            }
            if (!shares.isEmpty() && delivered.size() == shares.size()) {
                whole.put(c.name(), delivered);
            }
        });
        return whole;
    }

    @Override
    public void forward(Map<String, List<EncryptedShare>> byAddressee) {
        dropouts.afterSharing().forEach(transport::vanish);
        clients.values().parallelStream().forEach(c -> {
            for (EncryptedShare s : byAddressee.getOrDefault(c.name(), List.of())) {
                if (transport.carry(AGG, c.name(), s)) {
                    c.receiveShare(s);
                }
            }
        });
    }

    @Override
    public Map<String, int[]> masked(int round, Set<String> expected) {
        Map<String, int[]> out = new ConcurrentHashMap<>();
        clients.values().parallelStream().forEach(c -> {
            if (transport.hasVanished(c.name())) {
                return; // gone after sharing: never computes its masked input
            }
            MaskedUpdate m = c.mask(inputs.get(c.name()));
            if (transport.carry(c.name(), AGG, m)) {
                out.put(c.name(), m.masked());
            }
        });
        dropouts.afterMasking().forEach(transport::vanish);
        return out;
    }

    @Override
    public List<UnmaskResponse> unmask(Map<String, UnmaskRequest> requests) {
        List<UnmaskResponse> out = new ArrayList<>();
        requests.values().forEach(req -> {
            for (String p : req.survivors()) {
                SecAggClient c = clients.get(p);
                if (c != null && transport.carry(AGG, p, req)) {
                    UnmaskResponse r = c.unmask(req);
                    if (transport.carry(p, AGG, r)) {
                        out.add(r);
                    }
                }
            }
        });
        return out;
    }

    @Override
    public void reveal(Map<String, SecAggServer.Reveal> reveals) {
        // in process nobody else checks the sum; the relay roles publish it (4430)
    }
}
