package dev.bertstream.models.training.distill;

import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bertstream.models.weights.BertWeights.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StudentLayersTest {

    @Test
    void takesEveryKthTeacherLayerEndingWithTheLast() {
        assertThat(StudentLayers.teacherIndices(6, 3)).containsExactly(1, 3, 5);
        assertThat(StudentLayers.teacherIndices(6, 2)).containsExactly(2, 5);
        assertThat(StudentLayers.teacherIndices(12, 4)).containsExactly(2, 5, 8, 11);
        assertThat(StudentLayers.teacherIndices(6, 6)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(StudentLayers.teacherIndices(6, 1)).containsExactly(5);
    }

    @Test
    void refusesMoreLayersThanTheTeacherHasOrNone() {
        assertThatThrownBy(() -> StudentLayers.teacherIndices(6, 7))
                .hasMessageContaining("between 1 and the teacher's 6 layers");
        assertThatThrownBy(() -> StudentLayers.teacherIndices(6, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void studentHasTheTeachersWeightsAtTheChosenLayersAndItsEmbeddings() {
        BertConfig c = RandomBertWeights.tinyConfig();
        BertConfig four =
                new BertConfig(
                        c.vocabSize(),
                        c.hiddenSize(),
                        4,
                        c.numHeads(),
                        c.intermediateSize(),
                        c.maxPositions(),
                        c.typeVocabSize(),
                        c.layerNormEps());
        BertWeights teacher = RandomBertWeights.create(four, 3);

        BertWeights student = StudentLayers.student(teacher, List.of(1, 3));

        assertThat(student.config().numLayers()).isEqualTo(2);
        assertThat(student.tensors().keySet())
                .containsExactlyInAnyOrderElementsOf(BertWeights.canonicalNames(student.config()));
        for (String name : student.tensors().keySet()) {
            String from = name;
            if (name.startsWith("encoder.layer.0.")) {
                from = layer(1, name.substring("encoder.layer.0.".length()));
            } else if (name.startsWith("encoder.layer.1.")) {
                from = layer(3, name.substring("encoder.layer.1.".length()));
            }
            assertThat(student.get(name).data()).as(name).isEqualTo(teacher.get(from).data());
        }
        // Not a copy of the teacher's first layers: layer 0 differs from the teacher's layer 0.
        assertThat(student.get(layer(0, "output.dense.kernel")).data())
                .isNotEqualTo(teacher.get(layer(0, "output.dense.kernel")).data());
    }
}
