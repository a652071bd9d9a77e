package dev.bertstream.jobs.inference;

import dev.bertstream.models.bundle.BundleSigning;
import dev.bertstream.models.bundle.BundleTrust;
import dev.bertstream.models.bundle.SessionSettings;

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

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
 * @param maxBatchTokens padded-token budget per session call; raised to the bundle's {@code
 *     max_seq_length} at load, so that one text of the longest length always fits
 * @param warmUpBatchSize the largest batch the job sends, warmed up before the first real batch
 * @param useGpu place the model on the GPU
 * @param bfloat16 run matmuls in bfloat16 (oneDNN auto-mixed precision) on CPUs that have it
 * @param modelSha256 sha256 (hex) {@code bundle.json} must have, or {@code null}
 * @param modelPublicKey Ed25519 public key, inline base64 X.509 form ({@link
 *     BundleSigning#encodedPublicKey}), {@code bundle.sig} must verify with, or {@code null};
 *     inline so TaskManagers need no key file
 */
@Internal
public record InferenceSettings(
        String bundle,
        int intraOpThreads,
        int inferenceThreads,
        int queueCapacity,
        int maxBatchTokens,
        int warmUpBatchSize,
        boolean useGpu,
        boolean bfloat16,
        String modelSha256,
        String modelPublicKey)
        implements Serializable {

    /** Settings of a bundle that is neither pinned nor signed. */
    public InferenceSettings(
            String bundle,
            int intraOpThreads,
            int inferenceThreads,
            int queueCapacity,
            int maxBatchTokens,
            int warmUpBatchSize,
            boolean useGpu,
            boolean bfloat16) {
        this(
                bundle,
                intraOpThreads,
                inferenceThreads,
                queueCapacity,
                maxBatchTokens,
                warmUpBatchSize,
                useGpu,
                bfloat16,
                null,
                null);
    }

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
        trust(modelSha256, modelPublicKey); // fails on the client, not on every TaskManager
    }

    /**
     * These settings for another bundle pinned to {@code sha256}, as a roll-out names it; the
     * configured public key still applies, so a signed deployment only takes signed bundles.
     */
    InferenceSettings forBundle(String otherBundle, String sha256) {
        return new InferenceSettings(
                otherBundle,
                intraOpThreads,
                inferenceThreads,
                queueCapacity,
                maxBatchTokens,
                warmUpBatchSize,
                useGpu,
                bfloat16,
                sha256,
                modelPublicKey);
    }

    /** What the bundle must match before it is loaded. */
    public BundleTrust trust() {
        return trust(modelSha256, modelPublicKey);
    }

    private static BundleTrust trust(String sha256, String publicKey) {
        try {
            return BundleTrust.none()
                    .withManifestSha256(sha256)
                    .withPublicKey(
                            publicKey == null ? null : BundleSigning.parsePublicKey(publicKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SessionSettings session() {
        int intraOp =
                intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
        return new SessionSettings(intraOp, 1, useGpu).withBfloat16(bfloat16);
    }
}
