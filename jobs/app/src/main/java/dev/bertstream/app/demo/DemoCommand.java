package dev.bertstream.app.demo;

import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.app.local.LocalPipeline;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.config.KafkaClientConfig;
import dev.bertstream.jobs.pipeline.KafkaStartupCheck;
import dev.bertstream.models.training.DefaultBundle;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code bert-stream demo}: the whole system on one machine — an in-process Kafka broker, the job
 * on a local MiniCluster, chat traffic in, read_committed consumers out, and a live view.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run the classification job end to end on this machine: embedded Kafka, local Flink, "
                        + "the default model, synthetic chat traffic and a live view.")
@Internal
public final class DemoCommand implements Callable<Integer> {

    /** Traffic that primes the in-process pipeline before the demo's own. */
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    private static final String INTENT_TOPICS = "chat.intent.{label}";

    @Option(
            names = "--seconds",
            defaultValue = "0",
            description =
                    "Produce for N seconds, then drain, print the accounting and exit (0: run until Ctrl-C).")
    long seconds;

    @Option(
            names = "--rate",
            defaultValue = "50",
            description = "Chat events per second. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--malformed",
            defaultValue = "0.02",
            description = "Share of malformed records. Default: ${DEFAULT-VALUE}.")
    double malformed;

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description =
                    "Model bundle (default: the default bundle, built when missing, with the"
                            + " Chinese default bundle for Chinese lines).")
    Path model;

    @Option(
            names = "--language-model",
            paramLabel = "LANG=DIR",
            description =
                    "A bundle of its own for one language, e.g. zh=bundles/chat-zh (repeatable):"
                            + " events tagged with that lang, or written in its script (Han: zh),"
                            + " are labeled by it; sets inference.language-models.")
    Map<String, Path> languageModels = new LinkedHashMap<>();

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            description = "Job parallelism. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--web-ui-port",
            defaultValue = "8081",
            description = "Flink web UI port (0: no UI). Default: ${DEFAULT-VALUE}.")
    int webUiPort;

    @Option(
            names = "--bootstrap-servers",
            description =
                    "Use this Kafka instead of an in-process broker; it must have the job's topics"
                            + " (chat.text-events, chat.labeled, chat.moderation, chat.dead-letters).")
    String bootstrapServers;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties file (security.protocol, sasl.*, ssl.*) for the job"
                            + " and the demo's producer and reader; needs --bootstrap-servers.")
    Path kafkaConfig;

    @Option(
            names = "--no-live",
            description =
                    "Print a one-line status every "
                            + DemoStatusLine.EVERY_SECONDS
                            + " s instead of redrawing the screen each second (the default when"
                            + " standard output is not a terminal: CI logs, pipes, tee).")
    boolean noLive;

    @Override
    public Integer call() throws Exception {
        Path bundle =
                model != null
                        ? model
                        : DefaultBundle.ensure(DefaultBundle.defaultLocation(), System.err);
        if (model == null && languageModels.isEmpty()) {
            // The demo's traffic has Chinese lines: the English default cannot read them.
            languageModels.put(
                    "zh", DefaultBundle.ensureChinese(DefaultBundle.chineseLocation(), System.err));
        }
        if (kafkaConfig != null && bootstrapServers == null) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--kafka-config needs --bootstrap-servers: the in-process broker is plaintext");
        }
        if (bootstrapServers == null) {
            System.err.println("Starting an in-process Kafka broker (KRaft) ...");
        }
        // Null (an external Kafka) is allowed in try-with-resources and not closed.
        try (EmbeddedKafkaCluster kafka =
                bootstrapServers == null ? EmbeddedKafkaCluster.builder().build().start() : null) {
            String in = JobOptions.INPUT_TOPIC.defaultValue();
            String bootstrap = kafka != null ? kafka.bootstrapServers() : bootstrapServers;
            if (kafka != null) {
                LocalPipeline.createTopics(kafka, 4);
                List<Path> bundles = new ArrayList<>(languageModels.values());
                bundles.add(bundle);
                LocalPipeline.createIntentTopics(kafka, 4, INTENT_TOPICS, bundles);
            }
            List<String> overrides =
                    new ArrayList<>(
                            List.of(
                                    "--" + JobOptions.PARALLELISM.key(),
                                    String.valueOf(parallelism),
                                    "--" + JobOptions.INTENT_TOPIC_PATTERN.key(),
                                    INTENT_TOPICS));
            if (kafkaConfig != null) {
                overrides.addAll(
                        List.of("--" + JobOptions.CLIENT_CONFIG.key(), kafkaConfig.toString()));
            }
            overrides.addAll(LocalPipeline.languageModelOverrides(languageModels));
            Configuration conf = LocalPipeline.config(bootstrap, bundle, overrides);
            if (kafka == null) {
                // Missing topics or refused credentials: fail now, naming them.
                KafkaStartupCheck.verify(conf);
            }
            Properties client =
                    kafkaConfig != null ? KafkaClientConfig.read(kafkaConfig) : new Properties();
            client.put("bootstrap.servers", bootstrap);
            RoundTripStats stats = new RoundTripStats();
            JobClient job = LocalPipeline.start(conf, webUiPort, false);
            LocalPipeline.awaitTasksRunning(job, webUiPort);
            if (kafka != null) {
                // The in-process pipeline is cold: prime it (ids of its own, not counted), so the
                // demo's traffic meets the steady state. A user's own Kafka gets no extra events.
                System.out.printf(
                        "Warming up the pipeline (%d s of traffic, not counted) ...%n",
                        WARM_UP.toSeconds());
                long first = WarmUpTraffic.run(client, rate, WARM_UP);
                System.out.printf(
                        "Pipeline ready: the first warm-up event was read back after %d ms%n",
                        first);
            }
            String webUi = webUiPort > 0 ? "http://localhost:" + webUiPort : "(off)";
            TrafficGenerator traffic = new TrafficGenerator(client, in, rate, malformed, stats);
            OutputTopicReader reader =
                    new OutputTopicReader(
                            client,
                            JobOptions.LABELED_TOPIC.defaultValue(),
                            JobOptions.MODERATION_TOPIC.defaultValue(),
                            JobOptions.DEAD_LETTER_TOPIC.defaultValue(),
                            stats);
            List<Thread> threads =
                    new ArrayList<>(
                            List.of(
                                    new Thread(traffic, "demo-traffic"),
                                    new Thread(reader, "demo-reader")));
            threads.forEach(
                    t -> {
                        t.setDaemon(true);
                        t.start();
                    });
            // Without a terminal the redrawn view would print every frame: log a status line.
            boolean live = !noLive && System.console() != null;
            DemoView view = new DemoView(System.out, live);
            JobMetricsProbe probe =
                    webUiPort > 0
                            ? new JobMetricsProbe(webUiPort, job.getJobID().toHexString())
                            : null;
            java.util.function.Supplier<String> batches =
                    () ->
                            probe != null
                                    ? probe.line()
                                    : "batches    (Flink metrics need the web UI: --web-ui-port)";
            long start = System.nanoTime();
            CpuShare cpu = CpuShare.start();
            DemoStatusLine status = new DemoStatusLine(start);
            long nextStatus = DemoStatusLine.EVERY_SECONDS;
            long elapsed = 0;
            while (seconds <= 0 || elapsed < seconds) {
                Thread.sleep(1000);
                long now = System.nanoTime();
                elapsed = (now - start) / 1_000_000_000L;
                if (live) {
                    view.render(stats, elapsed, webUi, batches.get());
                } else if (elapsed >= nextStatus) {
                    System.out.println(status.next(stats, elapsed, now));
                    System.out.flush();
                    nextStatus = elapsed + DemoStatusLine.EVERY_SECONDS;
                }
            }
            traffic.stop();
            CpuShare.Cores cores = cpu != null ? cpu.since() : null;
            int lost = drain(stats, view, webUi, elapsed, batches);
            printCpu(cores);
            reader.stop();
            // Let the producer and reader close while the broker is still up, so shutdown prints no
            // connection warnings.
            for (Thread t : threads) {
                t.join(10_000);
            }
            job.cancel().get();
            return lost == 0 ? 0 : 1;
        }
    }

    /**
     * Says how much CPU the demo had: its latency figures assume the machine was its own, and on a
     * small machine another process's build or benchmark costs it seconds of latency.
     */
    private static void printCpu(CpuShare.Cores c) {
        if (c == null) {
            return;
        }
        System.out.printf(
                "cpu: this process used %.2f of %d cores during the traffic, other processes %.2f%n",
                c.self(), c.available(), c.others());
        if (c.contended()) {
            System.out.println(
                    "cpu: other processes shared the CPU: the latency above is higher than this"
                            + " machine gives the demo alone");
        }
    }

    /**
     * Waits until every produced record is accounted for (or 120 s pass) and prints the accounting
     * line; returns 0 when every sent id was seen exactly once, else 1.
     */
    private static int drain(
            RoundTripStats s,
            DemoView view,
            String webUi,
            long elapsed,
            java.util.function.Supplier<String> batches)
            throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && !s.allAccountedFor()) {
            Thread.sleep(500);
        }
        view.render(s, elapsed, webUi, batches.get());
        long in = s.produced.get();
        DeliveryAccounting.Snapshot accounting = s.accounting.snapshot();
        System.out.printf(
                "%nsummary: %d events in %d s, %d labeled, %d to moderation, %d dead letters "
                        + "(%d malformed sent), latency p50 %d ms p99 %d ms%n",
                in,
                elapsed,
                s.labeled.get(),
                s.moderated.get(),
                s.deadLetters.get(),
                s.producedMalformed.get(),
                s.latencyPercentile(0.5),
                s.latencyPercentile(0.99));
        // Which model labeled what: with a Chinese bundle, the Chinese lines should all be its.
        System.out.println("models: " + s.modelsLine());
        // By ids: lost = sent ids seen nowhere, duplicates = ids seen more than once.
        System.out.println("accounting: " + accounting.line());
        return accounting.exact() ? 0 : 1;
    }
}
