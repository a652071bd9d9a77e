package dev.bertstream.jobs.testutils;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.testutils.RandomBertWeights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Small real model bundles for job tests: a tiny random encoder with the three chat tasks, and a
 * second one, as a language bundle would be, with other weights and no intent task.
 */
public final class TestBundles {

    /** The {@code max_seq_length} of {@link #chatBundle}. */
    public static final int CHAT_MAX_SEQ_LENGTH = 64;

    private TestBundles() {}

    /** Name of the {@link #chatBundle}. */
    public static final String CHAT_NAME = "test-model";

    /** Name of the {@link #chineseBundle}. */
    public static final String CHINESE_NAME = "test-model-zh";

    /** Writes a bundle named {@code test-model} with the given version into {@code dir}. */
    public static Path chatBundle(Path dir, String version) throws Exception {
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        int hidden = RandomBertWeights.tinyConfig().hiddenSize();
        List<TaskHead> heads =
                List.of(
                        RandomBertWeights.head(
                                "sentiment", List.of("negative", "neutral", "positive"), hidden, 1),
                        RandomBertWeights.head(
                                "toxicity", List.of("not_toxic", "toxic"), hidden, 2),
                        RandomBertWeights.head(
                                "intent",
                                List.of("billing", "cancel", "greeting", "shipping"),
                                hidden,
                                3));
        BundleWriter.builder(
                        RandomBertWeights.create(RandomBertWeights.tinyConfig(), 11), tokenizer)
                .name(CHAT_NAME)
                .version(version)
                .maxSeqLength(CHAT_MAX_SEQ_LENGTH)
                .heads(heads)
                .write(dir);
        return dir;
    }

    /**
     * The sha256 of {@code dir}'s bundle.json, as a roll-out or {@code inference.model-sha256} pins
     * it.
     */
    public static String manifestSha256(Path dir) throws Exception {
        byte[] manifest = Files.readAllBytes(dir.resolve("bundle.json"));
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
    }

    /**
     * Writes a bundle named {@code test-model-zh} into {@code dir}: another tiny random encoder
     * (the English tokenizer's vocabulary has the CJK characters) with sentiment and toxicity heads
     * and no intent head, as a Chinese bundle may come without one.
     */
    public static Path chineseBundle(Path dir, String version) throws Exception {
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        int hidden = RandomBertWeights.tinyConfig().hiddenSize();
        List<TaskHead> heads =
                List.of(
                        RandomBertWeights.head(
                                "sentiment", List.of("negative", "neutral", "positive"), hidden, 4),
                        RandomBertWeights.head(
                                "toxicity", List.of("not_toxic", "toxic"), hidden, 5));
        BundleWriter.builder(
                        RandomBertWeights.create(RandomBertWeights.tinyConfig(), 23), tokenizer)
                .name(CHINESE_NAME)
                .version(version)
                .maxSeqLength(CHAT_MAX_SEQ_LENGTH)
                .heads(heads)
                .write(dir);
        return dir;
    }
}
