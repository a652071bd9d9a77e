package dev.bertstream.models.cli;

import org.apache.flink.annotation.PublicEvolving;
import picocli.CommandLine.Command;

/** {@code bert-stream models ...}: import, inspect and run model bundles. */
@Command(
        name = "models",
        description = "Import encoders, inspect, sign and verify bundles, and classify texts.",
        mixinStandardHelpOptions = true,
        subcommands = {
            ImportCommand.class,
            BuildDefaultCommand.class,
            TrainCommand.class,
            PretrainCommand.class,
            DistillCommand.class,
            EvalCommand.class,
            QuantizeCommand.class,
            PredictCommand.class,
            InfoCommand.class,
            SignCommand.class,
            KeygenCommand.class
        })
@PublicEvolving
public final class ModelsCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
