package dev.bertstream.models.imports;

import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;

import org.apache.flink.annotation.PublicEvolving;

import java.nio.file.Path;

/**
 * An encoder read from some checkpoint format, ready to be built into a graph.
 *
 * @param weights the weights under canonical names (see {@link BertWeights})
 * @param tokenizerFile the Hugging Face {@code tokenizer.json} that goes with it
 * @param activation Hugging Face {@code hidden_act} name, e.g. {@code gelu}
 * @param sourceDescription where it came from, recorded in the bundle manifest
 */
@PublicEvolving
public record ImportedEncoder(
        BertWeights weights, Path tokenizerFile, String activation, String sourceDescription) {

    public BertConfig config() {
        return weights.config();
    }
}
