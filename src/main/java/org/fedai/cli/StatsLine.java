package org.fedai.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One line of a role's counters for {@code --stats}: {@code stats <role> <what>=<n> ...}, keys sorted, zeros left
 * out, so an operator (or a script) sees every rejection by kind and reason and what the role did.
 */
final class StatsLine {

    private StatsLine() {
    }

    static String of(String role, Map<String, Long> counts) {
        String body = new TreeMap<>(counts).entrySet().stream().filter(e -> e.getValue() != 0)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return "stats " + role + (body.isEmpty() ? " (nothing counted yet)" : " " + body);
    }
}
