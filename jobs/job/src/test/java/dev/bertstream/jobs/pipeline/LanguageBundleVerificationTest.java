package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TracedEvent;
import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.models.bundle.BundleSigning;
import dev.bertstream.models.bundle.InvalidBundleException;
import dev.bertstream.models.bundle.ModelBundle;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import static dev.bertstream.jobs.testutils.Events.traced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A language bundle is verified as the default bundle is: the job's public key and its own pin
 * reach the TaskManager's load of it, so configuring a language never lets a bundle in unchecked.
 * Runs the inference operator the job options build under Flink's harness.
 */
class LanguageBundleVerificationTest {

    @TempDir static Path tmp;
    static KeyPair keys = BundleSigning.generateKeyPair();
    static Path english;
    static Path chinese;
    static Path unsignedChinese;

    @BeforeAll
    static void bundles() throws Exception {
        english = TestBundles.chatBundle(tmp.resolve("en"), "1");
        BundleSigning.sign(english, keys.getPrivate());
        chinese = TestBundles.chineseBundle(tmp.resolve("zh"), "1");
        BundleSigning.sign(chinese, keys.getPrivate());
        unsignedChinese = TestBundles.chineseBundle(tmp.resolve("zh-unsigned"), "1");
    }

    @Test
    void signedAndPinnedLanguageBundleLabelsItsEvents() throws Exception {
        Configuration conf =
                config(
                        "--inference.model-public-key",
                        BundleSigning.encodedPublicKey(keys.getPublic()),
                        "--inference.model-sha256",
                        ModelBundle.manifestSha256(english),
                        "--inference.language-models",
                        "zh=" + chinese,
                        "--inference.language-model-sha256",
                        "zh=" + ModelBundle.manifestSha256(chinese));
        try (var h = harness(conf)) {
            h.open();
            h.processElement(new StreamRecord<>(traced("1", "a", "这个服务太差了", 1)));
            h.processElement(new StreamRecord<>(traced("2", "b", "where is my parcel", 2)));
            h.endInput();
            assertThat(h.extractOutputValues().stream().map(LabeledEvent::getModelName))
                    .containsExactlyInAnyOrder(TestBundles.CHINESE_NAME, TestBundles.CHAT_NAME);
        }
    }

    @Test
    void anUnsignedLanguageBundleIsRefusedWhenThePublicKeyIsSet() throws Exception {
        Configuration conf =
                config(
                        "--inference.model-public-key",
                        BundleSigning.encodedPublicKey(keys.getPublic()),
                        "--inference.language-models",
                        "zh=" + unsignedChinese);
        try (var h = harness(conf)) {
            assertThatThrownBy(h::open)
                    .isInstanceOf(InvalidBundleException.class)
                    .hasMessageContaining("zh-unsigned")
                    .hasMessageContaining(BundleSigning.SIGNATURE_FILE);
        }
    }

    @Test
    void aLanguageBundleThatDoesNotMatchItsPinIsRefused() throws Exception {
        Configuration conf =
                config(
                        "--inference.model-sha256",
                        ModelBundle.manifestSha256(english),
                        "--inference.language-models",
                        "zh=" + chinese,
                        "--inference.language-model-sha256",
                        // The English bundle's digest: a swapped bundle.
                        "zh=" + ModelBundle.manifestSha256(english));
        try (var h = harness(conf)) {
            assertThatThrownBy(h::open)
                    .isInstanceOf(InvalidBundleException.class)
                    .hasMessageContaining(
                            "pinned digest is " + ModelBundle.manifestSha256(english));
        }
    }

    private static Configuration config(String... options) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--kafka.bootstrap-servers",
                                "localhost:9",
                                "--inference.model",
                                english.toString(),
                                "--serde.input.format",
                                "SINGLE_OBJECT",
                                "--serde.output.format",
                                "SINGLE_OBJECT"));
        args.addAll(List.of(options));
        return JobConfig.load(null, args);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TracedEvent, LabeledEvent>
            harness(Configuration conf) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<String, TracedEvent, LabeledEvent>(
                        ClassificationJob.inferenceOperator(conf),
                        e -> e.getEvent().getKey(),
                        Types.STRING,
                        128,
                        1,
                        0);
        h.setup(
                new AvroTypeInfo<>(LabeledEvent.class)
                        .createSerializer(new SerializerConfigImpl()));
        return h;
    }
}
