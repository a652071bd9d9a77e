package dev.bertstream.jobs.inference;

import dev.bertstream.models.bundle.SessionSettings;

import java.io.Serializable;

/**
 * How a TaskManager runs a model: which bundle, TensorFlow threads, inference threads and queue
 * bound. Equal settings share one loaded model per JVM.
 *
 * @param bundle local path or Flink FileSystem URI of the model bundle
 * @param intraOpThreads TensorFlow threads per op; 0 = the CPUs this JVM may use (Java 17's {@code
 *     availableProcessors()} honours the container's CPU quota, TensorFlow's own default does not)
 * @param inferenceThreads threads running session calls; task threads never block on the model
 * @param queueCapacity batches that may wait for an inference thread before new ones are rejected
 *     (and retried)
 * @param maxBatchTokens padded-token budget per session call
 * @param warmUpBatchSize the largest batch the job sends, warmed up before the first real batch
 * @param useGpu place the model on the GPU
 * @param bfloat16 run matmuls in bfloat16 (oneDNN auto-mixed precision) on CPUs that have it
 */
public record InferenceSettings(
        String bundle,
        int intraOpThreads,
        int inferenceThreads,
        int queueCapacity,
        int maxBatchTokens,
        int warmUpBatchSize,
        boolean useGpu,
        boolean bfloat16)
        implements Serializable {

    public InferenceSettings {
        if (bundle == null || bundle.isBlank()) {
            throw new IllegalArgumentException("A model bundle path is required");
        }
        if (inferenceThreads < 1
                || queueCapacity < 1
                || maxBatchTokens < 1
                || warmUpBatchSize < 1
                || intraOpThreads < 0) {
            throw new IllegalArgumentException("Invalid inference settings " + this);
        }
    }

    SessionSettings session() {
        int intraOp =
                intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
        return new SessionSettings(intraOp, 1, useGpu).withBfloat16(bfloat16);
    }
}
