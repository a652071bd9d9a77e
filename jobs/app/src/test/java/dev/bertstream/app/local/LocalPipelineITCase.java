package dev.bertstream.app.local;

import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.routing.IntentTopics;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.models.bundle.ModelBundle;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPipelineITCase {

    @TempDir Path tmp;

    @Test
    void createIntentTopicsCreatesOneTopicPerIntentLabelOfEveryBundle() throws Exception {
        Path english = TestBundles.chatBundle(tmp.resolve("en"), "1");
        Path chinese = TestBundles.chineseBundle(tmp.resolve("zh"), "1");
        List<String> expected =
                Stream.of(english, chinese)
                        .flatMap(b -> ModelBundle.readManifest(b).tasks().stream())
                        .filter(t -> t.name().equals(JobOptions.INTENT_TASK.defaultValue()))
                        .flatMap(t -> t.labels().stream())
                        .map(label -> IntentTopics.topicFor("chat.intent.{label}", label))
                        .distinct()
                        .toList();
        assertThat(expected).isNotEmpty();
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
            LocalPipeline.createIntentTopics(
                    kafka, 2, "chat.intent.{label}", List.of(english, chinese));
            try (Admin admin = kafka.admin()) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(topics).containsAll(expected);
                assertThat(topics.stream().filter(t -> t.startsWith("chat.intent.")))
                        .hasSameSizeAs(expected);
            }
        }
    }
}
