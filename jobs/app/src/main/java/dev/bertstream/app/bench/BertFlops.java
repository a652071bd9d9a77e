package dev.bertstream.app.bench;

import dev.bertstream.models.weights.BertConfig;

/** Floating-point operations of one encoder pass, counting multiply and add separately. */
final class BertFlops {

    private BertFlops() {}

    /**
     * FLOPs for {@code rows} sequences padded to {@code width} tokens (the matmuls; softmax etc.
     * are noise).
     */
    static double forward(BertConfig c, int rows, int width) {
        double h = c.hiddenSize();
        double perLayer =
                2.0
                        * (4 * width * h * h
                                + 2 * width * h * c.intermediateSize()
                                + 2.0 * width * width * h);
        return rows * perLayer * c.numLayers();
    }
}
