package org.fedai.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedai.cli.MarketProcesses.WAIT;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.fedai.nostr.KeyPair;
import org.fedai.store.ClientJournal;
import org.fedai.store.InvoiceState;
import org.fedai.store.LedgerInvoice;
import org.fedai.store.NodeJob;
import org.fedai.store.NodeJobJournal;
import org.fedai.store.NodeJobState;
import org.fedai.store.RouterJobRow;
import org.fedai.store.RouterJobState;
import org.fedai.store.RouterLedger;
import org.fedai.testing.ProcessTest;
import org.fedai.testing.RoleProcess;
import org.fedai.testing.ThirdPartyRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash suite: one market of separate processes ({@link MarketProcesses}, the wallet answering each payment 1 s
 * after it settled, so every payment has a window to die in), and trial after trial a job of a random timing whose
 * client, node or wallet service is killed with SIGKILL at a point read from its own journal or from the wallet's
 * ledger. A killed client is resumed with {@code fedai client resume}; a killed node or wallet is restarted on its
 * journal or ledger and the client waits. Every trial must end with the job's result; at the end no invoice was paid twice, none is left held, and
 * what the client paid is exactly what the node and router received.
 *
 * <p>In CI it runs one trial per kill point. The long form: {@code ./mvnw verify -Dtest=CrashSuiteTest
 * -Dfedai.crash.trials=100 [-Dfedai.crash.seed=N]} (docs/BENCHMARKS.md has a run).
 */
@ProcessTest
class CrashSuiteTest {

    /** Where a trial kills, each read from outside the process it kills. */
    enum KillPoint {
        /** The client, once its journal holds the spec (SPEC_SENT). */
        CLIENT_SPEC_SENT,
        /** The client, once its journal holds the quote (QUOTED). */
        CLIENT_QUOTED,
        /** The client, once it journaled an invoice as handed to its wallet. */
        CLIENT_PAYING,
        /** The client, once the wallet settled or locked its payment to the node (before its answer comes). */
        CLIENT_PAID_NOT_ANSWERED,
        /** The node, once its journal shows the job accepted; restarted. */
        NODE_ACCEPTED,
        /** The node, once its journal shows the job done (result out, pay-after invoice maybe not); restarted. */
        NODE_DONE,
        /** The wallet service, once its ledger shows the client's payment settled or locked, before its answer. */
        WALLET_PAYING,
        /**
         * The wallet service, as the node asks it for an invoice: once the node's journal shows the job accepted
         * (before, hold, atomic) or done (after), and the router's ledger its quote (the router asks the same wallet
         * for its fee invoice as the node accepts: a wallet lost then loses the client's quote, which the router's
         * {@code fee_invoice_failed} refusal reports, and which is not this kill point's).
         */
        WALLET_INVOICING,
        /**
         * The router, once its ledger shows the job ordered (the work order journalled, maybe not yet on a relay:
         * its outbox publishes it on restart); restarted.
         */
        ROUTER_ORDERED
    }

    private static final Predicate<NodeJob> NOT_QUOTED = j -> j.state() != NodeJobState.QUOTED;
    private static final Predicate<NodeJob> DONE = j -> j.state() == NodeJobState.DONE;

    private static final List<String> TIMINGS = List.of("before", "after", "hold", "atomic");

    @TempDir
    Path dir;

    @Test
    void everyKilledJobEndsWithItsResultPaidOnce() throws Exception {
        ThirdPartyRelay.assumeAvailable();
        int trials = Integer.getInteger("fedai.crash.trials", KillPoint.values().length);
        long seed = Long.getLong("fedai.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Map<KillPoint, Integer> killed = new EnumMap<>(KillPoint.class);
        int finishedFirst = 0;
        try (MarketProcesses market = new MarketProcesses(dir, String.join(",", TIMINGS), "--delay-ms", "1000")) {
            long clientBefore = market.balance(market.clientAccount());
            long nodeBefore = market.balance(market.nodeAccount());
            for (int t = 0; t < trials; t++) {
                String forced = System.getProperty("fedai.crash.point");
                KillPoint point = forced != null ? KillPoint.valueOf(forced)
                        : t < KillPoint.values().length ? KillPoint.values()[t]
                        : KillPoint.values()[random.nextInt(KillPoint.values().length)];
                String timing = System.getProperty("fedai.crash.timing", TIMINGS.get(random.nextInt(TIMINGS.size())));
                Trial trial = trial(market, t, point, timing);
                assertThat(trial.output()).as("trial %d (%s, %s, seed %d); the roles said:%n%s", t, point, timing,
                        seed, market.roleOutputs(System.getProperty("fedai.crash.all") != null ? "" : trial.jobPrefix())).contains("result   ");
                if (trial.killed()) {
                    killed.merge(point, 1, Integer::sum);
                } else {
                    finishedFirst++;
                }
            }

            List<LedgerInvoice> paid = market.paidByClient();
            assertThat(paid).extracting(LedgerInvoice::paymentHash).as("no invoice paid twice").doesNotHaveDuplicates();
            assertThat(paid).as("none left locked").allMatch(i -> i.state() == InvoiceState.SETTLED);
            long spent = clientBefore - market.balance(market.clientAccount());
            long toNode = paid.stream().filter(i -> i.account().equals(market.nodeAccount()))
                    .mapToLong(LedgerInvoice::paidMsat).sum();
            long toRouter = paid.stream().filter(i -> i.account().equals(market.routerAccount()))
                    .mapToLong(LedgerInvoice::paidMsat).sum();
            assertThat(spent).as("what the client lost is what node and router gained").isEqualTo(toNode + toRouter);
            assertThat(market.balance(market.nodeAccount()) - nodeBefore).isEqualTo(toNode);
            assertThat(paid.stream().filter(i -> i.account().equals(market.nodeAccount())).count())
                    .as("every job paid its node once").isEqualTo(trials);
            System.out.printf("crash suite: %d trials, seed %d, kills %s, %d finished before their kill point: every"
                    + " job ended with its result, %d invoices paid once each, %d msat conserved%n", trials, seed, killed,
                    finishedFirst, paid.size(), spent);
        }
    }

    /** What finished a trial's job (resume, or the waiting client), and whether the kill happened. */
    record Trial(String output, boolean killed) {
        /** The first 8 hex of the job id, as progress lines show it; "" when the output names no job. */
        String jobPrefix() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("job (?:     )?([0-9a-f]{8})").matcher(output);
            return m.find() ? m.group(1) : "";
        }
    }

    /** One job killed at {@code point}. */
    private Trial trial(MarketProcesses market, int t, KillPoint point, String timing) throws Exception {
        KeyPair client = KeyPair.generate();
        Path journal = dir.resolve("client-" + t + ".db");
        long toNodeBefore = paymentsToNode(market);
        RoleProcess submit = market.submit(client, timing, journal, "trial " + t + " of the crash suite, "
                + timing + ", killed at " + point);
        switch (point) {
            case CLIENT_SPEC_SENT, CLIENT_QUOTED, CLIENT_PAYING -> {
                if (!awaitOrExit(submit, () -> clientReached(journal, point))) {
                    return new Trial(finished(submit), false); // it finished before the point: nothing to kill
                }
                submit.kill();
                return new Trial(finished(market.resume(client, journal)), true);
            }
            case CLIENT_PAID_NOT_ANSWERED -> {
                if (!awaitOrExit(submit, () -> paymentsToNode(market) > toNodeBefore)) {
                    return new Trial(finished(submit), false);
                }
                submit.kill();
                return new Trial(finished(market.resume(client, journal)), true);
            }
            case NODE_ACCEPTED, NODE_DONE -> {
                Predicate<NodeJob> reached = point == KillPoint.NODE_ACCEPTED ? NOT_QUOTED : DONE;
                boolean reachedFirst = awaitOrExit(submit, () -> nodeReached(market, t, reached));
                if (reachedFirst) {
                    market.node().kill();
                    market.startNode();
                }
                return new Trial(finished(submit), reachedFirst);
            }
            case WALLET_PAYING, WALLET_INVOICING -> {
                Predicate<NodeJob> invoicing = timing.equals("after") ? DONE : NOT_QUOTED;
                boolean reachedFirst = awaitOrExit(submit, point == KillPoint.WALLET_PAYING
                        ? () -> paymentsToNode(market) > toNodeBefore
                        : () -> nodeReached(market, t, invoicing) && routerQuoted(market, t));
                if (reachedFirst) {
                    // requests sent while it is down are lost (NIP-47 requests are ephemeral): the roles ask again
                    market.wallet().kill();
                    market.startWallet();
                }
                return new Trial(finished(submit), reachedFirst);
            }
            case ROUTER_ORDERED -> {
                boolean reachedFirst = awaitOrExit(submit, () -> routerOrdered(market, t));
                if (reachedFirst) {
                    market.router().kill();
                    market.startRouter();
                }
                return new Trial(finished(submit), reachedFirst);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** The client's payments to the node the wallet has settled or locked. */
    private static long paymentsToNode(MarketProcesses market) {
        return market.paidByClient().stream().filter(i -> i.account().equals(market.nodeAccount()))
                .filter(i -> i.state() == InvoiceState.HELD || i.state() == InvoiceState.SETTLED).count();
    }

    /** Waits for {@code reached}; false when the process ended first. */
    private static boolean awaitOrExit(RoleProcess process, java.util.concurrent.Callable<Boolean> reached) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> process.exitCode().isPresent() || reached.call());
        return process.exitCode().isEmpty();
    }

    /** The output of a process that ended; a non-zero exit is kept in the output for the caller's assertion. */
    private static String finished(RoleProcess process) throws InterruptedException {
        int exit = process.awaitExit(WAIT);
        return exit == 0 ? process.output() : "exit " + exit + ": " + process.output();
    }

    private static boolean clientReached(Path journal, KillPoint point) {
        if (!journal.toFile().exists()) {
            return false;
        }
        try (ClientJournal j = ClientJournal.open(journal)) {
            List<ClientJournal.JobRecord> open = j.resumable();
            if (open.isEmpty()) {
                return false;
            }
            ClientJournal.JobRecord job = open.get(0);
            return switch (point) {
                case CLIENT_SPEC_SENT -> true;
                case CLIENT_QUOTED -> !job.quoteEventJson().isEmpty();
                default -> !j.unsettledAttempts(job.jobId()).isEmpty() || !j.paymentsFor(job.jobId()).isEmpty();
            };
        }
    }

    private static boolean routerOrdered(MarketProcesses market, int t) {
        try (RouterLedger ledger = RouterLedger.open(Path.of(market.path("router.db")))) {
            List<RouterJobRow> jobs = ledger.allJobs();
            return jobs.size() > t && (jobs.get(jobs.size() - 1).state() == RouterJobState.ORDERED
                    || jobs.get(jobs.size() - 1).state() == RouterJobState.METERED);
        }
    }

    private static boolean routerQuoted(MarketProcesses market, int t) {
        try (RouterLedger ledger = RouterLedger.open(Path.of(market.path("router.db")))) {
            List<RouterJobRow> jobs = ledger.allJobs();
            return jobs.size() > t && jobs.get(jobs.size() - 1).activeQuoteId().isPresent();
        }
    }

    private static boolean nodeReached(MarketProcesses market, int t, Predicate<NodeJob> reached) {
        try (NodeJobJournal j = NodeJobJournal.open(Path.of(market.path("node.db")))) {
            List<NodeJob> jobs = j.jobs();
            return jobs.size() > t && reached.test(jobs.get(jobs.size() - 1));
        }
    }
}
