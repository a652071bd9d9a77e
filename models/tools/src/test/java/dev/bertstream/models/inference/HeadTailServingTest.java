package dev.bertstream.models.inference;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.testutils.TestCorpus;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenizedText;
import dev.bertstream.models.tokenizer.Truncation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bundle trained with head+tail truncation is served with it: {@link BatchPredictor} (and so the
 * Flink job, which serves through it) reads the strategy from bundle.json.
 */
class HeadTailServingTest {

    static final int MAX = 32;

    @TempDir Path tmp;

    @Test
    void headTailBundleTokenizesHeadTailAtServeTime() throws Exception {
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        Path dir = tmp.resolve("bundle");
        BundleWriter.builder(
                        RandomBertWeights.create(RandomBertWeights.tinyConfig(), 11), tokenizer)
                .maxSeqLength(MAX)
                .truncation(Truncation.HEAD_TAIL)
                .heads(
                        List.of(
                                RandomBertWeights.head(
                                        "toxicity",
                                        List.of("not_toxic", "toxic"),
                                        RandomBertWeights.tinyConfig().hiddenSize(),
                                        4)))
                .write(dir);
        String text = String.join(" ", TestCorpus.english(40));
        try (ModelBundle bundle = ModelBundle.load(dir, SessionSettings.defaults());
                BatchPredictor p = BatchPredictor.builder(bundle).includeEmbedding(true).build();
                BertTokenizer headTail =
                        BertTokenizer.fromTokenizerJson(tokenizer, MAX, Truncation.HEAD_TAIL);
                BertTokenizer right = BertTokenizer.fromTokenizerJson(tokenizer, MAX)) {
            assertThat(p.tokenizer().truncation()).isEqualTo(Truncation.HEAD_TAIL);
            TokenizedText expected = headTail.encode(text);
            assertThat(p.tokenizer().encode(text).inputIds()).isEqualTo(expected.inputIds());
            assertThat(expected.inputIds()).isNotEqualTo(right.encode(text).inputIds());

            Prediction served = p.predict(List.of(text)).predictions().get(0);
            Prediction ofHeadTail = p.predictEncoded(List.of(expected)).predictions().get(0);
            Prediction ofRight = p.predictEncoded(List.of(right.encode(text))).predictions().get(0);
            assertThat(served.tokens()).isEqualTo(MAX);
            assertThat(served.truncated()).isTrue();
            assertThat(served.embedding()).isEqualTo(ofHeadTail.embedding());
            assertThat(served.embedding()).isNotEqualTo(ofRight.embedding());
        }
    }
}
