package org.fedai.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.fedai.roles.client.JobOutcome;
import org.fedai.store.MeteringEntry;

/**
 * What {@link MarketDemo} prints: a row per job as it ends and the router's countersigned metering ledger.
 * Apart from the demo because the layout is read by people and changes on its own, while the demo wires roles.
 */
final class DemoReport {

    private final PrintWriter out;
    /** Pubkey to the name the demo gave the role; read live, as nodes join while the demo starts. */
    private final Map<String, String> names;

    DemoReport(PrintWriter out, Map<String, String> names) {
        this.out = out;
        this.names = names;
    }

    /** A row of the batch table, its header before the first. */
    void row(int n, JobOutcome o) {
        if (n == 1) {
            out.printf("%-4s %-10s %-40s %8s %6s %8s %-6s %s%n", "job", "id", "node", "price", "fee", "latency",
                    "paid", "result");
        }
        String node = o.node().map(org.fedai.domain.PublicKey::hex).orElse("");
        out.printf("%-4d %-10s %-40s %8d %6d %6d ms %-6s %s%n", n, o.jobId().hex().substring(0, 8),
                names.getOrDefault(node, node.isEmpty() ? "-" : node.substring(0, 8)) + (o.quotes() > 1 ? " *" : ""),
                o.nodePrice().value(), o.routerFee().value(), o.latency().toMillis(), o.paid().isZero() ? "no" : "yes",
                o.succeeded() ? summary(o) : "LOST: " + o.failure());
        out.flush();
    }

    /** One line about the output: vector count and dimension, or chunk count. */
    private static String summary(JobOutcome o) {
        try {
            var tree = org.fedai.nostr.Json.MAPPER.readTree(o.output());
            return switch (o.outputType()) {
                case "vectors" -> tree.size() + " vectors x " + tree.get(0).size() + " dims";
                case "chunks" -> tree.size() + " chunks";
                default -> o.outputType() + " " + o.output().length() + " chars";
            };
        } catch (Exception e) {
            return o.outputType();
        }
    }

    static boolean receipted(MeteringEntry m) {
        return m.receiptId().isPresent();
    }

    /** The router's metering log, in sequence order, with who ran each job. */
    void ledger(List<MeteringEntry> entries) {
        List<MeteringEntry> log = new ArrayList<>(entries);
        log.sort(Comparator.comparingLong(MeteringEntry::seq));
        out.println("metering ledger (router countersigned):");
        out.printf("  %-4s %-10s %-10s %6s %8s %s%n", "seq", "job", "node", "units", "msat", "receipt");
        for (MeteringEntry m : log) {
            out.printf("  %-4d %-10s %-10s %6d %8d %s%n", m.seq(), m.jobId().hex().substring(0, 8),
                    names.getOrDefault(m.node().hex(), m.node().hex()).split(" ")[0], m.units(), m.price().value(),
                    m.receiptId().map(id -> id.hex().substring(0, 8)).orElse("-"));
        }
    }
}
