package dev.bertstream.app.bench;

import org.apache.flink.annotation.Internal;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bert-stream bench ...}: measured throughput and latency. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks.",
        subcommands = {
            ModelBenchCommand.class,
            PipelineBenchCommand.class,
            SqlBenchCommand.class,
            SoakCommand.class
        })
@Internal
public final class BenchCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
