package org.fedai.roles.fl;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedai.fl.model.Vectors;
import org.fedai.fl.round.SecureRoundDriver;
import org.fedai.fl.secagg.SecAggClient;
import org.fedai.fl.secagg.SecAggConfig;
import org.fedai.fl.secagg.SecAggMessage;
import org.fedai.nostr.Event;
import org.fedai.nostr.Hex;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Secp256k1Keys;
import org.fedai.protocol.FederationTask;
import org.fedai.protocol.FlChunkCodecs;
import org.fedai.protocol.FlChunking;
import org.fedai.protocol.FlContext;
import org.fedai.protocol.FlMessage;
import org.fedai.protocol.FlRoundCodecs;

/**
 * A full node's side of one secagg round across processes, around a {@link SecAggClient}: its per-round
 * secrets exist from enrollment (their public keys are the 4420), the configuration from the group's roster;
 * then shares out (4424 sealed to the aggregator), neighbours' shares in (4424 forwarded by the aggregator),
 * the masked, quantized, weighted update out (u32le 4423), and the answer to the group's unmask request
 * (4426). The secrets live in memory only: a node restarted mid-round has dropped out of that round, which
 * is what dropout recovery is for.
 */
final class SecureParticipant {

    private final byte[] cipherSecret = Secp256k1Keys.generateSecretKey();
    private final byte[] maskSecret = Secp256k1Keys.generateSecretKey();
    private final int round;
    private final String me;

    SecureParticipant(int round, String me) {
        this.round = round;
        this.me = me;
    }

    FlMessage.Enrollment enrollment() {
        return new FlMessage.Enrollment(round, me, Hex.encode(Secp256k1Keys.xOnlyPublicKey(cipherSecret)),
                Hex.encode(Secp256k1Keys.xOnlyPublicKey(maskSecret)));
    }

    /** Runs the round's secure steps; empty when done, else why this node could not take part. */
    Optional<String> run(FederationTask task, RoundState state, KeyPair keys, TaskFeed feed, java.util.function.Consumer<Event> handler,
                         FlPublisher publisher, double[] delta, int samples, boolean vanishAfterSharing, InstantSource clock)
            throws InterruptedException {
        FlMessage.Roster roster = state.rosterOf(me).orElse(null);
        if (roster == null) {
            return Optional.of("not in any group");
        }
        List<String> ids = roster.members().stream().map(FlMessage.Member::participant).toList();
        FlContext ctx = state.context();
        SecAggConfig cfg = SecureRoundDriver.group(ctx.task(), round, roster.group(), ids, task.model().parameters() + 1,
                SecureRoundDriver.DROPOUT_TOLERANCE).config();
        if (cfg.threshold() != roster.threshold()) {
            return Optional.of("roster threshold " + roster.threshold() + " is not the derived " + cfg.threshold());
        }
        SecAggClient client = new SecAggClient(cfg, me, new SecureRandom(), cipherSecret, maskSecret);
        List<SecAggMessage.EncryptedShare> shares = client.shareKeys(roster.members().stream()
                .map(m -> SecAggWire.enrollment(round, m)).toList());
        if (shares.isEmpty()) {
            return Optional.of("too few neighbours to share with");
        }
        String aggregator = task.aggregator();
        long now = clock.instant().getEpochSecond();
        publisher.publish(round, shares.stream()
                .map(s -> FlRoundCodecs.encodeKeyShare(SecAggWire.keyShare(s), ctx, keys, aggregator, now)).toList());
        int neighbours = cfg.graph().of(cfg.indexOf().get(me)).size();
        int[] received = {0};
        int[] cursor = {0};
        feed.until(handler, () -> {
            List<Event> forwarded = state.keyShares();
            for (; cursor[0] < forwarded.size(); cursor[0]++) {
                Event e = forwarded.get(cursor[0]);
                if (e.pubkey().equals(aggregator) && keys.publicKey().equals(e.firstTagValue("p").orElse(""))) {
                    var decoded = FlRoundCodecs.decodeKeyShare(e, ctx, keys, aggregator);
                    if (decoded.isAccepted() && client.receiveShare(SecAggWire.keyShare(decoded.orElseThrow())).isEmpty()) {
                        received[0]++;
                    }
                }
            }
            return received[0] >= neighbours;
        }, clock.instant().plusSeconds(task.deadlines().enrollSeconds() + task.deadlines().updateSeconds()));
        if (vanishAfterSharing) {
            return Optional.of("vanished after sharing its keys (test)"); // the case dropout recovery exists for
        }
        double[] bounded = delta.clone();
        Vectors.clipInPlace(bounded, task.clipNorm());
        SecAggMessage.MaskedUpdate masked = client.mask(SecureRoundDriver.encode(new SecureRoundDriver.Scale(task.clipNorm(),
                task.training().sampleCap()), bounded, samples, ids.size()));
        publisher.publish(round, FlChunking.split(round, me, "u-" + me, "u32le", FlChunking.words(masked.masked())).stream()
                .map(c -> FlChunkCodecs.encodeUpdateChunk(c, ctx, aggregator, now)).toList());
        FlMessage.UnmaskRequest[] request = {null};
        int[] read = {0};
        feed.until(handler, () -> {
            List<Event> requests = state.unmaskRequests();
            for (; read[0] < requests.size() && request[0] == null; read[0]++) {
                Event e = requests.get(read[0]);
                if (e.pubkey().equals(aggregator)) {
                    var r = FlRoundCodecs.decodeUnmaskRequest(e, ctx);
                    if (r.isAccepted() && r.orElseThrow().group().equals(roster.group())) {
                        request[0] = r.orElseThrow();
                    }
                }
            }
            return request[0] != null || state.hasCheckpoint();
        }, clock.instant().plusSeconds(task.deadlines().updateSeconds() + task.deadlines().unmaskSeconds()));
        if (request[0] == null) {
            return Optional.of("no unmask request for group " + roster.group());
        }
        SecAggMessage.UnmaskResponse answer;
        try {
            answer = client.unmask(SecAggWire.unmaskRequest(request[0]));
        } catch (IllegalArgumentException | IllegalStateException refused) {
            return Optional.of("refused the unmask request: " + refused.getMessage()); // it would expose one input
        }
        publisher.publish(round, FlRoundCodecs.encodeUnmaskResponse(SecAggWire.unmaskResponse(answer), ctx, keys, aggregator,
                clock.instant().getEpochSecond()));
        return Optional.empty();
    }

}
