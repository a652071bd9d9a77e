package dev.bertstream.app.cli;

import dev.bertstream.app.bench.BenchCommand;
import dev.bertstream.app.demo.DemoCommand;
import dev.bertstream.models.cli.ModelsCommand;

import org.apache.flink.annotation.PublicEvolving;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bert-stream} command line: one entry point, one subcommand per activity. */
@Command(
        name = "bert-stream",
        description = "Real-time BERT text classification on Apache Flink.",
        mixinStandardHelpOptions = true,
        versionProvider = BertStreamCli.Version.class,
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ModelsCommand.class,
            BenchCommand.class,
            SqlCommand.class,
            ProduceCommand.class,
            RolloutCommand.class,
            ConsumeCommand.class
        })
@PublicEvolving
public final class BertStreamCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Runs the CLI and exits with picocli's code: 0 ok, 1 failure, 2 usage error. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for tests that want its exit code without exiting. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BertStreamCli());
        // Domain failures (bad bundle, bad config) print their message, not a stack trace.
        cli.setExecutionExceptionHandler(
                (ex, cmd, parsed) -> {
                    cmd.getErr()
                            .println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
                    if (System.getenv("BERT_STREAM_DEBUG") != null) {
                        ex.printStackTrace(cmd.getErr());
                    }
                    return 1;
                });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reports the project version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BertStreamCli.class.getPackage().getImplementationVersion();
            return new String[] {"bert-stream " + (v == null ? "(development build)" : v)};
        }
    }
}
