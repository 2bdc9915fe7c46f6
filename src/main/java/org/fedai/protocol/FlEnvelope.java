package org.fedai.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;
import org.fedai.nostr.Event;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.UnsignedEvent;

/**
 * The envelope every round-scoped federation kind shares: {@code a} task address, {@code round},
 * optionally {@code p} recipient, the common tags; content round equal to the tag, the tag equal to
 * the receiver's round, and a sender the roster knows.
 */
final class FlEnvelope {

    static final Pattern PARTICIPANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private FlEnvelope() {
    }

    /** Plain content when {@code author} is null, else NIP-44 sealed to {@code recipient}. */
    static UnsignedEvent event(FedaiKind kind, FlContext ctx, ObjectNode content, String recipient, KeyPair author,
            long createdAt) {
        List<List<String>> tags = CommonTags.base();
        int at = 0;
        if (recipient != null) {
            tags.add(at++, List.of("p", recipient));
        }
        tags.add(at++, List.of("a", ctx.task()));
        tags.add(at, List.of("round", Integer.toString(ctx.round())));
        content.put("round", ctx.round());
        String body = author == null ? content.toString() : SealedContent.seal(content.toString(), author, recipient);
        return new UnsignedEvent(createdAt, kind.number(), tags, body);
    }

    static JsonNode openPlain(Event event, FedaiKind kind, FlContext ctx) throws InvalidContentException {
        int round = checkTags(event, kind, ctx);
        return checkRound(JsonFields.parseObject(event.content()), round);
    }

    static JsonNode openSealed(Event event, FedaiKind kind, FlContext ctx, KeyPair recipient)
            throws InvalidContentException {
        int round = checkTags(event, kind, ctx);
        return checkRound(SealedContent.open(event, recipient), round);
    }

    private static int checkTags(Event event, FedaiKind kind, FlContext ctx) throws InvalidContentException {
        CommonTags.check(event, kind);
        String task = CommonTags.required(event, "a");
        if (!task.equals(ctx.task())) {
            throw new InvalidContentException(Rejection.Reason.NOT_FOR_US, "for task " + task);
        }
        int round;
        try {
            round = Integer.parseInt(CommonTags.required(event, "round"));
        } catch (NumberFormatException e) {
            throw new InvalidContentException(Rejection.Reason.MALFORMED_TAG, "round is not an integer");
        }
        if (round != ctx.round()) {
            throw new InvalidContentException(Rejection.Reason.WRONG_ROUND, "round " + round + ", expected " + ctx.round());
        }
        return round;
    }

    private static JsonNode checkRound(JsonNode root, int round) throws InvalidContentException {
        if (JsonFields.nonNegativeInt(root, "round") != round) {
            throw new InvalidContentException(Rejection.Reason.INCONSISTENT, "content round differs from the round tag");
        }
        return root;
    }

    static String participant(JsonNode root, String field) throws InvalidContentException {
        String id = JsonFields.text(root, field);
        if (!PARTICIPANT.matcher(id).matches()) {
            throw JsonFields.invalid(field + " must match " + PARTICIPANT);
        }
        return id;
    }

    /** The roster binds each participant id to one signing pubkey; anyone else is not enrolled. */
    static String enrolledSender(Event event, FlContext ctx, JsonNode root, String field) throws InvalidContentException {
        String id = participant(root, field);
        if (!ctx.enrolled().isEmpty() && !event.pubkey().equals(ctx.enrolled().get(id))) {
            throw new InvalidContentException(Rejection.Reason.NOT_ENROLLED, id + " is not enrolled under this pubkey");
        }
        return id;
    }

    static List<String> participants(JsonNode root, String field) throws InvalidContentException {
        List<String> ids = JsonFields.textArray(root, field, false);
        for (String id : ids) {
            if (!PARTICIPANT.matcher(id).matches()) {
                throw JsonFields.invalid(field + " must hold participant ids");
            }
        }
        if (ids.stream().distinct().count() != ids.size()) {
            throw new InvalidContentException(Rejection.Reason.INCONSISTENT, field + " repeats a participant");
        }
        return ids;
    }
}
