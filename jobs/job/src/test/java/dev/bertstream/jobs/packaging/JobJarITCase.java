package dev.bertstream.jobs.packaging;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded job jar (built in the package phase, before failsafe runs) is what {@code flink run}
 * needs, and nothing the cluster provides or only the CLI uses.
 */
class JobJarITCase {

    static final Path JAR = Path.of("target", "bert-stream-job.jar");

    @Test
    void hasTheJobMainClassAndNeitherFlinkRuntimeNorCliTools() throws Exception {
        assertThat(JAR).exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("dev.bertstream.jobs.pipeline.ClassificationJob");
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertThat(names)
                    .contains(
                            "dev/bertstream/jobs/pipeline/ClassificationJob.class",
                            "org/apache/flink/connector/kafka/source/KafkaSource.class",
                            "org/tensorflow/SavedModelBundle.class");
            for (String runtime :
                    List.of(
                            "org/apache/flink/runtime/",
                            "org/apache/flink/streaming/api/",
                            "org/apache/flink/api/common/",
                            "org/apache/flink/connector/base/",
                            "org/slf4j/",
                            "org/apache/logging/log4j/",
                            // the Kafka broker of the demo and the tests
                            "kafka/server/",
                            "scala/",
                            // the CLI, its plots and progress bars, the ONNX Runtime peer of the
                            // benchmarks
                            "picocli/",
                            "org/knowm/xchart/",
                            "org/apache/pdfbox/",
                            "me/tongfei/progressbar/",
                            "ai/onnxruntime/",
                            "dev/bertstream/app/",
                            // the models tools: import, training, the models CLI
                            "dev/bertstream/models/imports/",
                            "dev/bertstream/models/training/",
                            "dev/bertstream/models/cli/")) {
                assertThat(names)
                        .as("no %s classes", runtime)
                        .noneMatch(n -> n.startsWith(runtime));
            }
        }
    }
}
