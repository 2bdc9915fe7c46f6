package org.fedai.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.fedai.nostr.EventSigner;
import org.fedai.nostr.UnsignedEvent;
import org.fedai.protocol.nip90.Nip90Encryption;
import org.fedai.protocol.nip90.Nip90Result;
import org.fedai.protocol.nip90.Nip90Status;
import org.fedai.roles.nip90.Nip90Customer;
import org.fedai.roles.nip90.Nip90Tasks;

/**
 * {@code fedai demo --nip90}: a NIP-90 customer that knows nothing of fedai posts embedding and chunking requests
 * (plain, NIP-44 and NIP-04 encrypted), an underbid and a malformed request, pays each payment-required invoice
 * from its own wallet, and checks every request was answered: a result for each valid one, an error for the others.
 */
final class Nip90Phase {

    private record Case(String name, String requestId, boolean expectResult) {
    }

    private final PrintWriter out;
    private final Nip90Customer customer;
    private final String gateway;

    Nip90Phase(PrintWriter out, Nip90Customer customer, String gatewayPubkey) {
        this.out = out;
        this.customer = customer;
        this.gateway = gatewayPubkey;
    }

    /** Requests lost: valid ones without a result, invalid ones without an error. */
    int run(int embeddings) throws InterruptedException {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < embeddings; i++) {
            cases.add(new Case("5700 embedding", customer.post(Nip90Tasks.EMBEDDING,
                    List.of("a cat sits on the mat " + i, "Lightning pays for compute " + i), Map.of(),
                    OptionalLong.empty(), Nip90Encryption.NONE, ""), true));
        }
        String text = "Relays carry every message of the market. Nodes run behind NAT because they only connect out. "
                .repeat(4);
        Map<String, String> chunking = new LinkedHashMap<>();
        chunking.put("max_tokens", "24");
        chunking.put("overlap", "4");
        cases.add(new Case("5701 chunking", customer.post(Nip90Tasks.CHUNKING, List.of(text), chunking,
                OptionalLong.of(100_000), Nip90Encryption.NONE, ""), true));
        cases.add(new Case("5700 nip-44", customer.post(Nip90Tasks.EMBEDDING, List.of("sealed to the gateway"),
                Map.of(), OptionalLong.empty(), Nip90Encryption.NIP44, gateway), true));
        cases.add(new Case("5700 nip-04", customer.post(Nip90Tasks.EMBEDDING, List.of("sealed the old way"),
                Map.of(), OptionalLong.empty(), Nip90Encryption.NIP04, gateway), true));
        cases.add(new Case("5700 underbid", customer.post(Nip90Tasks.EMBEDDING, List.of("ten msat, please"),
                Map.of(), OptionalLong.of(10), Nip90Encryption.NONE, ""), false));
        UnsignedEvent malformed = new UnsignedEvent(System.currentTimeMillis() / 1000, Nip90Tasks.EMBEDDING,
                List.of(List.of("i", "by carrier pigeon", "pigeon")), "");
        cases.add(new Case("5700 malformed", customer.post(EventSigner.sign(malformed, customer.keys())), false));

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (cases.stream().anyMatch(c -> !customer.answered(c.requestId())) && System.nanoTime() < until) {
            Thread.sleep(100); // the customer's answers arrive from the relay, which does not signal the demo
        }
        out.printf("%-16s %-10s %-44s %10s  %s%n", "nip90 request", "answer", "feedback", "paid msat", "result");
        int lost = 0;
        for (Case c : cases) {
            Nip90Result result = customer.result(c.requestId());
            boolean error = customer.statuses(c.requestId()).contains(Nip90Status.ERROR);
            boolean ok = c.expectResult() ? result != null && !error : error && result == null;
            lost += ok ? 0 : 1;
            String statuses = String.join(">", customer.statuses(c.requestId()).stream().map(Nip90Status::code)
                    .toList());
            String detail = error ? customer.feedback(c.requestId()).stream()
                    .filter(f -> f.status() == Nip90Status.ERROR).findFirst().orElseThrow().extraInfo()
                    : result == null ? "none" : result.kind() + ", " + result.content().length() + " chars"
                    + (result.encryption() == Nip90Encryption.NONE ? "" : ", sealed " + result.encryption());
            out.printf("%-16s %-10s %-44s %10s  %s%n", c.name(), ok ? "ok" : "LOST", statuses,
                    result == null ? "-" : result.amountMsat().orElse(0), detail.length() > 70
                    ? detail.substring(0, 70) + "..." : detail);
        }
        out.flush();
        return lost;
    }
}
