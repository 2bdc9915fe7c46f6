package org.fedai.cli;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What a long-running role reports and keeps, shared by {@code fedai router} and {@code fedai node}:
 * {@code --stats} (every counter by kind and reason with each summary), {@code --summary-interval} and
 * {@code --retain-days} (how long finished jobs that owe nothing stay in its database).
 */
final class RoleUpkeepOptions {

    @Option(names = "--stats", description = {"With every summary, a line of every counter: rejections as",
            "refused.<kind>:<reason>=n, and what the role did (work orders sent, jobs by state, ...)."})
    boolean stats;

    @Option(names = "--summary-interval", defaultValue = "60", paramLabel = "S",
            description = "Seconds between summary lines (default ${DEFAULT-VALUE}).")
    double summarySeconds;

    @Option(names = "--retain-days", paramLabel = "DAYS", defaultValue = "30",
            description = {"Days a finished job that owes nothing stays in the database before it is pruned",
                    "(money still owed and slashing evidence are kept whatever their age; default ${DEFAULT-VALUE})."})
    double retainDays;

    Duration summaryInterval(CommandLine cli) {
        return CliOptions.seconds(cli, summarySeconds);
    }

    Duration retention(CommandLine cli) {
        return CliOptions.days(cli, "--retain-days", retainDays);
    }
}
