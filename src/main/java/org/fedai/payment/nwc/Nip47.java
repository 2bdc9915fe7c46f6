package org.fedai.payment.nwc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.fedai.nostr.Event;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.KeyPair;
import org.fedai.nostr.Nip04;
import org.fedai.nostr.Nip40;
import org.fedai.nostr.Nip44;
import org.fedai.nostr.UnsignedEvent;

/**
 * NIP-47 Nostr Wallet Connect events (https://github.com/nostr-protocol/nips/blob/master/47.md):
 * info 13194 (plaintext capabilities, {@code encryption} and {@code notifications} tags), request 23194
 * ({@code p} wallet service, {@code encryption}, optional NIP-40 {@code expiration}), response 23195
 * ({@code p} client, {@code e} request id) and notification 23197 ({@code p} client). Contents are NIP-44 v2;
 * NIP-04 (legacy 23196 notifications, untagged requests, old wallets' responses) is read, never written.
 * Pure: building signs and encrypts, opening checks kind and tags, decrypts and parses; no I/O, no clock.
 */
public final class Nip47 {

    public static final int INFO_KIND = 13194;
    public static final int REQUEST_KIND = 23194;
    public static final int RESPONSE_KIND = 23195;
    public static final int LEGACY_NOTIFICATION_KIND = 23196;
    public static final int NOTIFICATION_KIND = 23197;
    public static final String ENCRYPTION_TAG = "encryption";
    public static final String NOTIFICATIONS_TAG = "notifications";

    private Nip47() {
    }

    // ---- info (13194) ----

    public static UnsignedEvent infoEvent(NwcInfo info, long createdAt) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of(ENCRYPTION_TAG, String.join(" ", info.encryptions().stream().map(NwcEncryption::wire).toList())));
        if (!info.notifications().isEmpty()) {
            tags.add(List.of(NOTIFICATIONS_TAG, String.join(" ", info.notifications())));
        }
        return new UnsignedEvent(createdAt, INFO_KIND, tags, String.join(" ", info.capabilities()));
    }

    /** Reads an info event. No encryption tag means a legacy NIP-04-only wallet; a tag naming no known scheme is refused. */
    public static NwcInfo parseInfo(Event event) {
        requireKind(event, INFO_KIND);
        List<String> capabilities = words(event.content());
        List<NwcEncryption> encryptions = new ArrayList<>();
        Optional<String> encryptionTag = event.firstTagValue(ENCRYPTION_TAG);
        if (encryptionTag.isEmpty()) {
            encryptions.add(NwcEncryption.NIP04);
        } else {
            for (String word : words(encryptionTag.get())) {
                NwcEncryption.fromWire(word).filter(e -> !encryptions.contains(e)).ifPresent(encryptions::add);
            }
            if (encryptions.isEmpty()) {
                throw new Nip47Exception(Nip47Exception.Reason.UNSUPPORTED_ENCRYPTION,
                        "encryption tag names no known scheme: " + encryptionTag.get());
            }
        }
        List<String> notifications = event.firstTagValue(NOTIFICATIONS_TAG).map(Nip47::words).orElse(List.of());
        return new NwcInfo(capabilities, encryptions, notifications);
    }

    // ---- request (23194) ----

    /** A signed, NIP-44 encrypted request from the connection's client key; {@code expiresAt} may be null. */
    public static Event request(NwcRequest request, KeyPair client, String walletPubkey, long createdAt,
            Long expiresAt) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("p", walletPubkey));
        tags.add(List.of(ENCRYPTION_TAG, NwcEncryption.NIP44_V2.wire()));
        if (expiresAt != null) {
            tags.add(Nip40.tag(expiresAt));
        }
        String content = encrypt(NwcRequest.toJson(request), client, walletPubkey);
        return EventSigner.sign(new UnsignedEvent(createdAt, REQUEST_KIND, tags, content), client);
    }

    /** The request's scheme: its {@code encryption} tag, or NIP-04 when there is none (the NIP's rule for old clients). */
    public static NwcEncryption requestEncryption(Event request) {
        Optional<String> tag = request.firstTagValue(ENCRYPTION_TAG);
        if (tag.isEmpty()) {
            return NwcEncryption.NIP04;
        }
        return NwcEncryption.fromWire(tag.get().strip()).orElseThrow(() -> new Nip47Exception(
                Nip47Exception.Reason.UNSUPPORTED_ENCRYPTION, "unsupported encryption " + tag.get()));
    }

    /** The decrypted JSON text of a request addressed to {@code wallet}. */
    public static String decryptRequest(Event request, KeyPair wallet) {
        requireKind(request, REQUEST_KIND);
        return decrypt(request.content(), requestEncryption(request), wallet, request.pubkey());
    }

    public static NwcRequest openRequest(Event request, KeyPair wallet) {
        return NwcRequest.parse(decryptRequest(request, wallet));
    }

    // ---- response (23195) ----

    public static Event response(NwcResponse response, KeyPair wallet, String clientPubkey, String requestId,
            long createdAt) {
        List<List<String>> tags = List.of(List.of("p", clientPubkey), List.of("e", requestId),
                List.of(ENCRYPTION_TAG, NwcEncryption.NIP44_V2.wire()));
        String content = encrypt(NwcResponse.toJson(response), wallet, clientPubkey);
        return EventSigner.sign(new UnsignedEvent(createdAt, RESPONSE_KIND, tags, content), wallet);
    }

    /** The id of the request a response answers ({@code e} tag). */
    public static String respondsTo(Event response) {
        requireKind(response, RESPONSE_KIND);
        return response.firstTagValue("e").orElseThrow(() -> new Nip47Exception(Nip47Exception.Reason.MISSING_TAG,
                "response has no e tag"));
    }

    /** Decrypts (NIP-44, or NIP-04 from a legacy wallet) and parses a response addressed to {@code client}. */
    public static NwcResponse openResponse(Event response, KeyPair client) {
        respondsTo(response);
        return NwcResponse.parse(decrypt(response.content(), sniff(response.content()), client, response.pubkey()));
    }

    // ---- notification (23197, legacy 23196) ----

    public static Event notification(NwcNotification notification, KeyPair wallet, String clientPubkey,
            long createdAt) {
        List<List<String>> tags = List.of(List.of("p", clientPubkey),
                List.of(ENCRYPTION_TAG, NwcEncryption.NIP44_V2.wire()));
        String content = encrypt(NwcNotification.toJson(notification), wallet, clientPubkey);
        return EventSigner.sign(new UnsignedEvent(createdAt, NOTIFICATION_KIND, tags, content), wallet);
    }

    public static NwcNotification openNotification(Event notification, KeyPair client) {
        NwcEncryption scheme = switch (notification.kind()) {
            case NOTIFICATION_KIND -> NwcEncryption.NIP44_V2;
            case LEGACY_NOTIFICATION_KIND -> NwcEncryption.NIP04;
            default -> throw new Nip47Exception(Nip47Exception.Reason.WRONG_KIND,
                    "expected kind 23197 or 23196, got " + notification.kind());
        };
        return NwcNotification.parse(decrypt(notification.content(), scheme, client, notification.pubkey()));
    }

    // ---- encryption ----

    static String encrypt(String plaintext, KeyPair me, String peer) {
        return Nip44.encrypt(plaintext, Nip44.conversationKey(me.secretKey(), peer));
    }

    static String decrypt(String content, NwcEncryption scheme, KeyPair me, String peer) {
        try {
            return switch (scheme) {
                case NIP44_V2 -> Nip44.decrypt(content, Nip44.conversationKey(me.secretKey(), peer));
                case NIP04 -> Nip04.decrypt(content, Nip04.sharedKey(me.secretKey(), peer));
            };
        } catch (IllegalArgumentException e) {
            // Nip44Exception and Nip04Exception are IllegalArgumentExceptions that carry their own reason
            throw new Nip47Exception(Nip47Exception.Reason.UNDECRYPTABLE, scheme.wire() + ": " + e.getMessage());
        }
    }

    /** NIP-44 base64 never holds '?', NIP-04 always holds '?iv=': the content says which scheme it is. */
    private static NwcEncryption sniff(String content) {
        return Nip04.looksLikeNip04(content) ? NwcEncryption.NIP04 : NwcEncryption.NIP44_V2;
    }

    private static void requireKind(Event event, int kind) {
        if (event.kind() != kind) {
            throw new Nip47Exception(Nip47Exception.Reason.WRONG_KIND, "expected kind " + kind + ", got " + event.kind());
        }
    }

    private static List<String> words(String s) {
        return Arrays.stream(s.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
