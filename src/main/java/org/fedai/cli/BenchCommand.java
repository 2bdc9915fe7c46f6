package org.fedai.cli;

import picocli.CommandLine.Command;

/**
 * {@code fedai bench}: whole-system measurements (micro-benchmarks are JMH, in src/jmh). Each subcommand lives in
 * its own class; this one only registers them, one per line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Whole-system benchmarks.",
        subcommands = {
            org.fedai.cli.bench.MarketBench.class,
            org.fedai.cli.bench.ThroughputBench.class,
            org.fedai.cli.bench.RegistryBench.class,
            org.fedai.cli.bench.StorageBench.class,
            NwcBench.class,
        })
public final class BenchCommand {
}
