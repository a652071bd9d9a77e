package dev.bertstream.models.bundle;

import org.apache.flink.annotation.PublicEvolving;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * TensorFlow session settings: thread pools, device and precision.
 *
 * @param intraOpThreads threads one op (a matmul) may use; 0 lets TensorFlow pick (all cores)
 * @param interOpThreads independent ops run concurrently; 0 lets TensorFlow pick
 * @param useGpu place ops on the GPU when the GPU natives and a device are present
 * @param bfloat16 let TensorFlow's oneDNN auto-mixed-precision pass run matmuls and most other ops
 *     in bfloat16; faster, but probabilities differ from float32 in the second or third decimal, so
 *     it is off unless asked for. Honoured only where the CPU computes bfloat16 natively
 *     (AVX512-BF16 or AMX-BF16, {@link OneDnnSupport#nativeBfloat16()}): elsewhere oneDNN emulates
 *     it, slower than float32, so the session stays float32 and a warning says so
 */
@PublicEvolving
public record SessionSettings(
        int intraOpThreads, int interOpThreads, boolean useGpu, boolean bfloat16) {

    private static final Logger LOG = LoggerFactory.getLogger(SessionSettings.class);

    public SessionSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException(
                    "Thread counts must be >= 0 (0 = TensorFlow's default), got intra="
                            + intraOpThreads
                            + " inter="
                            + interOpThreads);
        }
    }

    /** Float32 settings. */
    public SessionSettings(int intraOpThreads, int interOpThreads, boolean useGpu) {
        this(intraOpThreads, interOpThreads, useGpu, false);
    }

    /**
     * All cores for each op, one op at a time: the best latency for one batch in flight on a small
     * CPU.
     */
    public static SessionSettings defaults() {
        return new SessionSettings(0, 1, false);
    }

    /** These settings with bfloat16 auto-mixed precision on or off. */
    public SessionSettings withBfloat16(boolean on) {
        return new SessionSettings(intraOpThreads, interOpThreads, useGpu, on);
    }

    /** The TensorFlow session configuration of these settings. */
    public ConfigProto toConfigProto() {
        ConfigProto.Builder b =
                ConfigProto.newBuilder()
                        .setIntraOpParallelismThreads(intraOpThreads)
                        .setInterOpParallelismThreads(interOpThreads)
                        .setAllowSoftPlacement(true);
        if (useGpu) {
            // Grow GPU memory on demand so one TaskManager's model does not grab the whole card.
            b.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        } else {
            b.putDeviceCount("GPU", 0);
        }
        if (bfloat16 && !OneDnnSupport.nativeBfloat16()) {
            LOG.warn(
                    "bfloat16 requested, but this CPU ({}) has no native bfloat16 (avx512_bf16 or"
                            + " amx_bf16): staying in float32",
                    OneDnnSupport.cpuModel());
        } else if (bfloat16) {
            b.getGraphOptionsBuilder()
                    .getRewriteOptionsBuilder()
                    .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
        }
        return b.build();
    }
}
