package dev.bertstream.models.training.finetune;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.testutils.SeedData;
import dev.bertstream.models.testutils.TestEncoders;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenizedText;
import dev.bertstream.models.tokenizer.Truncation;
import dev.bertstream.models.training.LabeledDatasetReader;
import dev.bertstream.models.training.LabeledExample;
import dev.bertstream.models.training.TaskData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Without tuning options, fine-tuning picks its settings from the data and says so. */
class EncoderFineTunerDefaultsTest {

    @TempDir Path tmp;

    @Test
    void settingsAreChosenFromTheDataPrintedAndTheHeadIsCalibrated() throws Exception {
        Path encoder = tmp.resolve("tiny");
        Path tokenizerFile = TestEncoders.minilm().tokenizerFile();
        BundleWriter.builder(
                        RandomBertWeights.create(RandomBertWeights.tinyConfig(), 3), tokenizerFile)
                .maxSeqLength(128)
                .write(encoder);
        Path train = SeedData.head("sentiment/train.tsv", 320, tmp.resolve("train.tsv"));
        Path dev = SeedData.head("sentiment/dev.tsv", 80, tmp.resolve("dev.tsv"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        FineTuneReport report =
                EncoderFineTuner.builder(encoder)
                        .task(new TaskData("sentiment", train, dev))
                        .options(FineTuneOptions.builder())
                        .log(new PrintStream(log, true, StandardCharsets.UTF_8))
                        .train(tmp.resolve("out"));

        int positions = RandomBertWeights.tinyConfig().maxSequenceLength();
        int[] lengths;
        try (BertTokenizer t =
                BertTokenizer.fromTokenizerJson(tokenizerFile, positions, Truncation.RIGHT)) {
            lengths =
                    t
                            .encodeBatch(
                                    LabeledDatasetReader.read(train).stream()
                                            .map(LabeledExample::text)
                                            .toList())
                            .stream()
                            .mapToInt(TokenizedText::length)
                            .toArray();
        }
        int expectedMaxLen = FineTuneDefaults.maxTokens(lengths, positions);
        assertThat(expectedMaxLen).isLessThan(128);
        assertThat(ModelBundle.readManifest(tmp.resolve("out")).maxSeqLength())
                .as("max tokens from the train lengths, not the encoder bundle's 128")
                .isEqualTo(expectedMaxLen);
        String printed = log.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("max tokens " + expectedMaxLen + ": 95% of the 320 train texts")
                .contains("epochs 5: about 40,000 examples seen over 320 train examples")
                .contains("peak learning rate 1e-04: for a 32-wide encoder")
                .contains("warm start on")
                .contains("sentiment: temperature ");
        // The warm start scored first, then 2 evaluations per epoch.
        assertThat(report.curve().get(0).step()).isZero();
        assertThat(report.curve().get(1).epoch()).isEqualTo(0.5);
        FineTuneReport.Calibration c = report.tasks().get(0).calibration();
        assertThat(c).isNotNull();
        assertThat(c.nllAfter()).isLessThanOrEqualTo(c.nllBefore());
    }
}
