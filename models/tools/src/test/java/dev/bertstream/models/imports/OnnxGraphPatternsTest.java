package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.imports.OnnxModelReader.OnnxGraph;
import dev.bertstream.models.imports.OnnxModelReader.OnnxNode;
import dev.bertstream.models.imports.OnnxModelReader.OnnxTensor;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The activation and head count read from the shape of ONNX graphs, real and hand-built. */
class OnnxGraphPatternsTest {

    static final String FFN_BIAS = "bert.encoder.layer.0.intermediate.dense.bias";

    @Test
    void pretrainedExportsAreErfGeluWithTheirPublishedHeadCounts() throws Exception {
        // all-MiniLM-L6-v2: 12 heads of 32; bge-small-zh-v1.5: 8 heads of 64 (their config.json).
        Map<PretrainedEncoder, Integer> heads =
                Map.of(PretrainedEncoder.MINILM_L6, 12, PretrainedEncoder.BGE_SMALL_ZH, 8);
        for (var e : heads.entrySet()) {
            OnnxGraph g =
                    OnnxModelReader.read(
                            e.getKey().resolve(Path.of("target", "pretrained")).onnx());
            OnnxGraphPatterns p = new OnnxGraphPatterns(g);
            assertThat(p.activation()).as(e.getKey().name()).isEqualTo(Activation.GELU);
            int hidden =
                    (int)
                            g.initializers().values().stream()
                                    .filter(
                                            t ->
                                                    t.name()
                                                            .endsWith(
                                                                    "embeddings.word_embeddings.weight"))
                                    .findFirst()
                                    .orElseThrow()
                                    .dims()[1];
            assertThat(p.headCount(hidden)).as(e.getKey().name()).isEqualTo(e.getValue());
        }
    }

    @Test
    void tanhApproximationAndReluAreToldApartFromExactGelu() {
        assertThat(
                        new OnnxGraphPatterns(ffn("Pow", "Mul", "Add", "Mul", "Tanh", "Add", "Mul"))
                                .activation())
                .isEqualTo(Activation.GELU_TANH);
        assertThat(new OnnxGraphPatterns(ffn("Relu")).activation()).isEqualTo(Activation.RELU);
        assertThat(new OnnxGraphPatterns(ffn("Div", "Erf", "Add", "Mul", "Mul")).activation())
                .isEqualTo(Activation.GELU);
        assertThatThrownBy(() -> new OnnxGraphPatterns(ffn("Sigmoid", "Mul")).activation())
                .hasMessageContaining("Sigmoid");
    }

    @Test
    void headCountComesFromAConstantReshapeShape() {
        List<OnnxNode> nodes = new ArrayList<>();
        nodes.add(node("Add", List.of("q_mm", "encoder.layer.0.attention.self.query.bias"), "q"));
        nodes.add(node("Reshape", List.of("q", "shape"), "q4"));
        OnnxTensor shape =
                new OnnxTensor(
                        "shape",
                        new long[] {4},
                        OnnxModelReader.INT64,
                        null,
                        new long[] {0, 0, 6, 16});
        OnnxGraph g = new OnnxGraph(nodes, Map.of("shape", shape), List.of(), List.of());
        assertThat(new OnnxGraphPatterns(g).headCount(96)).isEqualTo(6);
        assertThatThrownBy(() -> new OnnxGraphPatterns(g).headCount(128))
                .hasMessageContaining("Reshape");
    }

    /** A feed-forward block: MatMul, bias Add, the given chain of ops, then the output MatMul. */
    private static OnnxGraph ffn(String... activationOps) {
        List<OnnxNode> nodes = new ArrayList<>();
        nodes.add(node("MatMul", List.of("x", "w1"), "mm"));
        nodes.add(node("Add", List.of(FFN_BIAS, "mm"), "h0"));
        String prev = "h0";
        for (int i = 0; i < activationOps.length; i++) {
            String out = "h" + (i + 1);
            nodes.add(node(activationOps[i], List.of(prev), out));
            prev = out;
        }
        nodes.add(node("MatMul", List.of(prev, "w2"), "y"));
        // After the output dense: ops the activation search must not reach.
        nodes.add(node("Tanh", List.of("y"), "pooled"));
        return new OnnxGraph(nodes, Map.of(), List.of("x"), List.of("pooled"));
    }

    private static OnnxNode node(String op, List<String> inputs, String output) {
        return new OnnxNode(op + "_" + output, op, inputs, List.of(output), null);
    }
}
