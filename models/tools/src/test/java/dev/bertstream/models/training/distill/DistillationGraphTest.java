package dev.bertstream.models.training.distill;

import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.inference.PaddedBatch;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.testutils.TestCorpus;
import dev.bertstream.models.testutils.TestEncoders;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenizedText;
import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class DistillationGraphTest {

    private static final DistillOptions OPTIONS =
            DistillOptions.builder().learningRate(1e-3).temperature(2).build();

    private static List<TokenizedText> texts;

    @BeforeAll
    static void tokenize() throws Exception {
        try (BertTokenizer tokenizer =
                BertTokenizer.fromTokenizerJson(TestEncoders.tinyTokenizer(), 16)) {
            texts = tokenizer.encodeBatch(TestCorpus.english(64));
        }
    }

    @Test
    void aStudentOfEveryTeacherLayerStartsAtZeroLossAndAShallowerOneDoesNot() {
        BertWeights teacher = RandomBertWeights.create(config(2), 7);
        List<TaskHead> heads = heads();
        PaddedBatch batch = PaddedBatch.of(texts, IntStream.range(0, 32).toArray());

        try (DistillationGraph same = graph(teacher, List.of(0, 1), heads)) {
            DistillationGraph.Losses l = same.losses(batch);
            assertThat(l.soft()).isLessThan(1e-5f);
            assertThat(l.hidden()).isLessThan(1e-5f);
        }
        try (DistillationGraph shallow = graph(teacher, List.of(1), heads)) {
            DistillationGraph.Losses l = shallow.losses(batch);
            assertThat(l.hidden()).isGreaterThan(1e-3f);
            assertThat(l.soft()).isGreaterThan(1e-4f);
        }
    }

    @Test
    void aFewStepsLowerTheDistillationLoss() {
        BertWeights teacher = RandomBertWeights.create(config(4), 11);
        List<PaddedBatch> batches = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            batches.add(PaddedBatch.of(texts, IntStream.range(b * 16, b * 16 + 16).toArray()));
        }
        PaddedBatch all = PaddedBatch.of(texts, IntStream.range(0, 64).toArray());
        try (DistillationGraph g = graph(teacher, List.of(1, 3), heads())) {
            DistillationGraph.Losses before = g.losses(all);
            for (int step = 0; step < 40; step++) {
                g.step(batches.get(step % batches.size()), 1e-3);
            }
            DistillationGraph.Losses after = g.losses(all);

            assertThat(after.total()).isLessThan(before.total() * 0.7f);
            assertThat(after.soft()).isLessThan(before.soft());
            assertThat(after.hidden()).isLessThan(before.hidden());
        }
    }

    private static DistillationGraph graph(
            BertWeights teacher, List<Integer> layers, List<TaskHead> heads) {
        return new DistillationGraph(
                teacher,
                StudentLayers.student(teacher, layers),
                layers,
                Activation.GELU,
                Pooling.MEAN,
                heads,
                heads,
                OPTIONS,
                SessionSettings.defaults());
    }

    /** A softmax and a sigmoid head, so both KL terms are exercised. */
    private static List<TaskHead> heads() {
        int h = RandomBertWeights.tinyConfig().hiddenSize();
        TaskHead soft =
                RandomBertWeights.head(
                        "sentiment", List.of("negative", "neutral", "positive"), h, 1);
        TaskHead multi = RandomBertWeights.head("topics", List.of("a", "b", "c", "d"), h, 2);
        return List.of(
                soft,
                new TaskHead(
                        multi.name(),
                        multi.labels(),
                        multi.kernel(),
                        multi.bias(),
                        HeadActivation.SIGMOID));
    }

    static BertConfig config(int layers) {
        BertConfig c = RandomBertWeights.tinyConfig();
        return new BertConfig(
                c.vocabSize(),
                c.hiddenSize(),
                layers,
                c.numHeads(),
                c.intermediateSize(),
                c.maxPositions(),
                c.typeVocabSize(),
                c.layerNormEps());
    }
}
