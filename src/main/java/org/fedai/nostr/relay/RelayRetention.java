package org.fedai.nostr.relay;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fedai.nostr.EventKindClass;

/**
 * How long the relay keeps stored events of each kind class (NIP-01 storage classes), on top of their own NIP-40
 * expiration: {@code regular=7} keeps regular events a week after their {@code created_at}. A class not named is
 * kept until it expires or is replaced. Ephemeral events are never stored, so they take no setting.
 */
public record RelayRetention(Map<EventKindClass, Duration> byClass) {

    public static final RelayRetention FOREVER = new RelayRetention(Map.of());

    public RelayRetention {
        if (byClass.containsKey(EventKindClass.EPHEMERAL)) {
            throw new IllegalArgumentException("ephemeral events are never stored: no retention to set");
        }
        byClass.values().forEach(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a retention must be positive");
            }
        });
        byClass = Map.copyOf(byClass);
    }

    public Optional<Duration> of(EventKindClass kindClass) {
        return Optional.ofNullable(byClass.get(kindClass));
    }

    /** Parses {@code CLASS=DAYS} settings ({@code regular=7}, {@code addressable=30}; days may be fractions). */
    public static RelayRetention parse(Iterable<String> settings) {
        Map<EventKindClass, Duration> out = new EnumMap<>(EventKindClass.class);
        for (String s : settings) {
            String[] kv = s.split("=", 2);
            EventKindClass c;
            double days;
            try {
                c = EventKindClass.valueOf(kv[0].trim().toUpperCase(Locale.ROOT));
                days = Double.parseDouble(kv.length == 2 ? kv[1].trim() : "");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + s + "': want CLASS=DAYS with CLASS one of regular,"
                        + " replaceable, addressable");
            }
            if (!(days > 0) || days > 36_500) {
                throw new IllegalArgumentException("'" + s + "': days must be above 0 and at most 36500");
            }
            out.put(c, Duration.ofSeconds(Math.round(days * 86_400)));
        }
        return new RelayRetention(out);
    }
}
