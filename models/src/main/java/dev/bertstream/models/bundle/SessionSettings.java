package dev.bertstream.models.bundle;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * TensorFlow session settings: thread pools and device.
 *
 * @param intraOpThreads threads one op (a matmul) may use; 0 lets TensorFlow pick (all cores)
 * @param interOpThreads independent ops run concurrently; 0 lets TensorFlow pick
 * @param useGpu place ops on the GPU when the GPU natives and a device are present
 */
public record SessionSettings(int intraOpThreads, int interOpThreads, boolean useGpu) {

    public SessionSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("Thread counts must be >= 0 (0 = TensorFlow's default), got intra="
                    + intraOpThreads + " inter=" + interOpThreads);
        }
    }

    /** All cores for each op, one op at a time: the best latency for one batch in flight on a small CPU. */
    public static SessionSettings defaults() {
        return new SessionSettings(0, 1, false);
    }

    /** The TensorFlow session configuration of these settings. */
    public ConfigProto toConfigProto() {
        ConfigProto.Builder b = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setAllowSoftPlacement(true);
        if (useGpu) {
            // Grow GPU memory on demand so one TaskManager's model does not grab the whole card.
            b.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        } else {
            b.putDeviceCount("GPU", 0);
        }
        return b.build();
    }
}
