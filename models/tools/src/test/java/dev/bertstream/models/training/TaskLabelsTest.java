package dev.bertstream.models.training;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The label checks both trainers (frozen and fine-tuning) rely on. */
class TaskLabelsTest {

    private static final TaskData TASK =
            new TaskData("intent", Path.of("train.tsv"), Path.of("dev.tsv"));

    private static LabeledExample ex(String label, String file, long line) {
        return new LabeledExample("text", label, Path.of(file), line);
    }

    @Test
    void labelsAreSortedAndOutOfScopeIsNotAClass() {
        TaskLabels labels =
                TaskLabels.of(
                        TASK,
                        List.of(
                                ex("shipping", "train.tsv", 1),
                                ex("billing", "train.tsv", 2),
                                ex("oos", "train.tsv", 3)),
                        List.of(ex("billing", "dev.tsv", 1)));
        assertThat(labels.labels()).containsExactly("billing", "shipping");
        assertThat(labels.hasOutOfScope()).isTrue();
        assertThat(labels.index()).containsEntry("billing", 0).containsEntry("shipping", 1);
        assertThat(labels.inScope("oos")).isFalse();
    }

    @Test
    void aDevLabelMissingFromTrainNamesTheDevFileAndLine() {
        assertThatThrownBy(
                        () ->
                                TaskLabels.of(
                                        TASK,
                                        List.of(ex("a", "train.tsv", 1), ex("b", "train.tsv", 2)),
                                        List.of(ex("a", "dev.tsv", 1), ex("c", "dev.tsv", 2))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("dev.tsv:2")
                .hasMessageContaining("'c'")
                .hasMessageContaining("train.tsv");
    }

    @Test
    void oneLabelIsNotATask() {
        assertThatThrownBy(
                        () ->
                                TaskLabels.of(
                                        TASK,
                                        List.of(ex("a", "train.tsv", 1), ex("oos", "train.tsv", 2)),
                                        null))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("at least two labels");
    }

    @Test
    void commaSeparatedLabelsMakeAMultiLabelTaskWhoseLabelsAreEveryNamedOne() {
        TaskLabels labels =
                TaskLabels.of(
                        TASK,
                        List.of(
                                ex("anger,annoyance", "train.tsv", 1),
                                ex("joy", "train.tsv", 2),
                                ex("oos", "train.tsv", 3)),
                        List.of(ex("annoyance , joy", "dev.tsv", 1)));
        assertThat(labels.multiLabel()).isTrue();
        assertThat(labels.labels()).containsExactly("anger", "annoyance", "joy");
        boolean[][] y =
                labels.targets(
                        List.of(
                                ex("anger,annoyance", "train.tsv", 1),
                                ex("joy", "train.tsv", 2),
                                ex("oos", "train.tsv", 3)));
        assertThat(y[0]).containsExactly(true, true, false);
        assertThat(y[1]).containsExactly(false, false, true);
        assertThat(y[2]).containsExactly(false, false, false);
    }

    @Test
    void withoutAnyCommaATaskStaysSingleLabel() {
        TaskLabels labels =
                TaskLabels.of(
                        TASK, List.of(ex("a", "train.tsv", 1), ex("b", "train.tsv", 2)), null);
        assertThat(labels.multiLabel()).isFalse();
    }

    @Test
    void aMultiLabelDevLabelMissingFromTrainIsNamed() {
        assertThatThrownBy(
                        () ->
                                TaskLabels.of(
                                        TASK,
                                        List.of(ex("a,b", "train.tsv", 1)),
                                        List.of(ex("a,z", "dev.tsv", 4))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("dev.tsv:4")
                .hasMessageContaining("'z'");
    }
}
