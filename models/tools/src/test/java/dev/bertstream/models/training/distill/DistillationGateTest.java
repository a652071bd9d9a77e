package dev.bertstream.models.training.distill;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.DistillationInfo;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.testutils.TestCorpus;
import dev.bertstream.models.testutils.TestEncoders;
import dev.bertstream.models.weights.WeightTensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DistillationGateTest {

    @Test
    void passesOnlyAtNinetyNinePointFivePercentAgreementAndHalfAPointOfF1() {
        assertThat(DistillationGate.gate(List.of(task(0.996, 0.80, 0.796))).passed()).isTrue();
        assertThat(DistillationGate.gate(List.of(task(0.994, 0.80, 0.80))).passed()).isFalse();
        assertThat(DistillationGate.gate(List.of(task(1.0, 0.80, 0.794))).passed()).isFalse();
        assertThat(
                        DistillationGate.gate(List.of(task(1.0, 0.8, 0.8), task(0.99, 0.8, 0.8)))
                                .passed())
                .as("every dev set must pass")
                .isFalse();
        // A student better than its teacher loses nothing.
        assertThat(DistillationGate.gate(List.of(task(0.999, 0.70, 0.75))).passed()).isTrue();
    }

    @Test
    void refusesAStudentThatDisagreesAndPassesTheTeacherItself(@TempDir Path tmp) throws Exception {
        Path teacher = TestEncoders.tinyToxicityBundle(tmp.resolve("teacher"), 5);
        Path flipped = tmp.resolve("flipped");
        try (ModelBundle b = ModelBundle.load(teacher, SessionSettings.defaults())) {
            // Negated logits: the other class wins on every text.
            List<TaskHead> heads = new ArrayList<>();
            for (TaskHead h : BundleHeads.read(b)) {
                heads.add(
                        new TaskHead(
                                h.name(),
                                h.labels(),
                                negate(h.kernel()),
                                negate(h.bias()),
                                h.activation()));
            }
            BundleWriter.builder(b.encoderWeights(), b.tokenizerFile())
                    .maxSeqLength(b.manifest().maxSeqLength())
                    .heads(heads)
                    .write(flipped);
        }
        Path dev = tmp.resolve("dev.tsv");
        List<String> lines = new ArrayList<>();
        List<String> texts = TestCorpus.english(80);
        for (int i = 0; i < texts.size(); i++) {
            lines.add(
                    texts.get(i).replaceAll("\\s+", " ")
                            + "\t"
                            + (i % 3 == 0 ? "toxic" : "not_toxic"));
        }
        Files.write(dev, lines, StandardCharsets.UTF_8);
        List<DistillationGate.DevSet> devs =
                List.of(DistillationGate.DevSet.parse("toxicity=" + dev));

        DistillationInfo.Gate bad = DistillationGate.evaluate(teacher, flipped, devs);
        DistillationInfo.Gate same = DistillationGate.evaluate(teacher, teacher, devs);

        assertThat(bad.passed()).isFalse();
        assertThat(bad.tasks().get(0).agreement()).isLessThan(0.05);
        assertThat(bad.tasks().get(0).examples()).isEqualTo(80);
        assertThat(DistillationGate.summary(bad)).contains("FAIL").contains("toxicity");
        assertThat(same.passed()).isTrue();
        assertThat(same.tasks().get(0).agreement()).isEqualTo(1.0);
        assertThat(same.tasks().get(0).studentMacroF1())
                .isEqualTo(same.tasks().get(0).teacherMacroF1());
    }

    private static DistillationInfo.GateTask task(
            double agreement, double teacher, double student) {
        return new DistillationInfo.GateTask("t", "dev.tsv", 1000, agreement, teacher, student);
    }

    private static WeightTensor negate(WeightTensor t) {
        float[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = -d[i];
        }
        return new WeightTensor(t.shape(), d);
    }
}
