package org.fedai.fl.sim;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedai.fl.secagg.SecAggClient;
import org.fedai.fl.secagg.SecAggConfig;
import org.fedai.fl.secagg.SecAggMessage.EncryptedShare;
import org.fedai.fl.secagg.SecAggMessage.EnrollmentKeys;
import org.fedai.fl.secagg.SecAggMessage.MaskedUpdate;
import org.fedai.fl.secagg.SecAggMessage.UnmaskRequest;
import org.fedai.fl.secagg.SecAggMessage.UnmaskResponse;
import org.fedai.fl.secagg.SecAggOutcome;
import org.fedai.fl.secagg.SecAggServer;

/**
 * Drives one SecAgg+ instance through its four message rounds, every message passing the
 * transport. Participants in {@code vanishAfterSharing} disappear once their shares are out (the
 * case dropout recovery exists for); those in {@code vanishAfterMasking} once their masked input is sent.
 */
public final class SecureRound {

    public record Dropouts(Set<String> afterSharing, Set<String> afterMasking) {
        public static final Dropouts NONE = new Dropouts(Set.of(), Set.of());
    }

    private SecureRound() {
    }

    public static SecAggOutcome run(SecAggConfig cfg, Map<String, int[]> inputs, RoundTransport transport,
                                    Dropouts dropouts, SecureRandom random) {
        String agg = RoundTransport.AGGREGATOR;
        SecAggServer server = new SecAggServer(cfg);
        Map<String, SecAggClient> clients = new ConcurrentHashMap<>();
        for (String p : cfg.roster()) {
            if (inputs.containsKey(p)) {
                clients.put(p, new SecAggClient(cfg, p, random));
            }
        }
        for (SecAggClient c : clients.values()) {
            EnrollmentKeys k = c.advertise();
            if (transport.carry(c.name(), agg, k)) {
                server.acceptEnrollment(k);
            }
        }
        List<EnrollmentKeys> enrolled = server.enrolled();
        clients.values().parallelStream().forEach(c -> {
            if (transport.hasVanished(c.name())) {
                return;
            }
            List<EncryptedShare> shares = c.shareKeys(enrolled);
            List<EncryptedShare> delivered = new ArrayList<>();
            for (EncryptedShare s : shares) {
                if (transport.carry(c.name(), agg, s)) {
                    delivered.add(s);
                }
            }
            if (!shares.isEmpty() && delivered.size() == shares.size()) {
                synchronized (server) {
                    server.acceptShares(c.name(), delivered);
                }
            }
        });
        dropouts.afterSharing().forEach(transport::vanish);
        Map<String, List<EncryptedShare>> mail = new HashMap<>();
        for (SecAggClient c : clients.values()) {
            mail.put(c.name(), server.sharesFor(c.name()));
        }
        clients.values().parallelStream().forEach(c -> {
            for (EncryptedShare s : mail.get(c.name())) {
                if (transport.carry(agg, c.name(), s)) {
                    c.receiveShare(s);
                }
            }
        });
        clients.values().parallelStream().forEach(c -> {
            if (transport.hasVanished(c.name())) {
                return; // gone after sharing: never computes its masked input
            }
            MaskedUpdate m = c.mask(inputs.get(c.name()));
            if (transport.carry(c.name(), agg, m)) {
                synchronized (server) {
                    server.acceptMasked(m);
                }
            }
        });
        dropouts.afterMasking().forEach(transport::vanish);
        var request = server.unmaskRequest();
        if (request.isEmpty()) {
            return server.finish();
        }
        UnmaskRequest req = request.get();
        for (String p : req.survivors()) {
            SecAggClient c = clients.get(p);
            if (c != null && transport.carry(agg, p, req)) {
                UnmaskResponse r = c.unmask(req);
                if (transport.carry(p, agg, r)) {
                    server.acceptUnmask(r);
                }
            }
        }
        return server.finish();
    }
}
