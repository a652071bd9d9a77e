package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;

import java.nio.file.Path;
import java.util.List;

/**
 * An encoder read from some checkpoint format, ready to be built into a graph.
 *
 * @param weights the weights under canonical names (see {@link BertWeights})
 * @param tokenizerFile the Hugging Face {@code tokenizer.json} that goes with it
 * @param activation Hugging Face {@code hidden_act} name, e.g. {@code gelu}
 * @param sourceDescription where it came from, recorded in the bundle manifest
 * @param heads classification heads the checkpoint was fine-tuned with (empty for a bare encoder)
 * @param pooling the pooling the checkpoint declares (sentence-transformers config, or CLS for an
 *     imported head), or {@code null} when it declares none
 * @param warnings what the import left out or could not apply, for the user to read
 */
public record ImportedEncoder(
        BertWeights weights,
        Path tokenizerFile,
        String activation,
        String sourceDescription,
        List<TaskHead> heads,
        Pooling pooling,
        List<String> warnings) {

    public ImportedEncoder {
        heads = List.copyOf(heads);
        warnings = List.copyOf(warnings);
    }

    /** A bare encoder with nothing to warn about. */
    public ImportedEncoder(
            BertWeights weights, Path tokenizerFile, String activation, String sourceDescription) {
        this(weights, tokenizerFile, activation, sourceDescription, List.of(), null, List.of());
    }

    public BertConfig config() {
        return weights.config();
    }
}
