package org.fedai.payment.nwc;

import java.util.List;

/**
 * A wallet service's capabilities as its kind 13194 info event states them.
 *
 * @param capabilities  method names plus "notifications" when supported, as written (unknown names kept)
 * @param encryptions   supported schemes in the wallet's order; NIP-04 alone when the tag is absent
 * @param notifications the notification types from the {@code notifications} tag, as written
 */
public record NwcInfo(List<String> capabilities, List<NwcEncryption> encryptions, List<String> notifications) {

    public NwcInfo {
        capabilities = List.copyOf(capabilities);
        encryptions = List.copyOf(encryptions);
        notifications = List.copyOf(notifications);
        if (encryptions.isEmpty()) {
            throw new IllegalArgumentException("at least one encryption scheme");
        }
    }

    public boolean supports(NwcMethod method) {
        return capabilities.contains(method.wire());
    }

    public boolean supports(NwcEncryption encryption) {
        return encryptions.contains(encryption);
    }
}
