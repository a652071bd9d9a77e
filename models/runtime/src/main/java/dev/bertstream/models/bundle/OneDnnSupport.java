package dev.bertstream.models.bundle;

import org.apache.flink.annotation.PublicEvolving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether TensorFlow runs its oneDNN kernels and graph fusions in this process, and the CPU facts
 * that decide it.
 *
 * <p>TensorFlow 2.18 (TensorFlow Java 1.1) turns oneDNN on by default on Linux only for CPUs with
 * AVX512-VNNI, AVX512-BF16, AVX-VNNI or AMX; elsewhere (an AVX2-only EPYC, a Skylake Xeon) it runs
 * Eigen kernels unless {@code TF_ENABLE_ONEDNN_OPTS=1} is set before the JVM starts (the variable
 * is read once by the native library; Java cannot set it). LayerNorm, GELU and bias-add fusions
 * into single kernels need oneDNN.
 */
@PublicEvolving
public final class OneDnnSupport {

    /** The environment variable TensorFlow reads. */
    public static final String ENV = "TF_ENABLE_ONEDNN_OPTS";

    private static final List<String> DEFAULT_ON_FLAGS =
            List.of("avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16");

    private OneDnnSupport() {}

    /** True when TensorFlow in this process uses oneDNN: the variable if set, else the CPU. */
    public static boolean enabled() {
        return enabled(System.getenv(ENV), cpuFlags());
    }

    /** TensorFlow's rule for {@code TF_ENABLE_ONEDNN_OPTS} and the CPU flags. */
    static boolean enabled(String env, Set<String> flags) {
        if (env != null && !env.isBlank()) {
            String v = env.trim().toLowerCase(Locale.ROOT);
            return v.equals("1") || v.equals("true");
        }
        return DEFAULT_ON_FLAGS.stream().anyMatch(flags::contains);
    }

    /** True when the CPU computes bfloat16 natively (AVX512-BF16 or AMX-BF16). */
    public static boolean nativeBfloat16() {
        Set<String> flags = cpuFlags();
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }

    /** The CPU's flags from {@code /proc/cpuinfo} (empty where there is none). */
    public static Set<String> cpuFlags() {
        String line = cpuInfo("flags");
        return line.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(line.split("\\s+")));
    }

    /** The CPU's model name from {@code /proc/cpuinfo}, or the OS architecture. */
    public static String cpuModel() {
        String model = cpuInfo("model name");
        return model.isEmpty() ? System.getProperty("os.arch") : model;
    }

    /** The flags that matter for matmul speed, as one line for logs and bench output. */
    public static String describe() {
        Set<String> flags = cpuFlags();
        StringBuilder sb = new StringBuilder(cpuModel()).append(" [");
        String sep = "";
        for (String f :
                List.of(
                        "avx2",
                        "fma",
                        "avx512f",
                        "avx512_vnni",
                        "avx512_bf16",
                        "avx_vnni",
                        "amx_bf16",
                        "amx_int8")) {
            if (flags.contains(f)) {
                sb.append(sep).append(f);
                sep = " ";
            }
        }
        return sb.append("], oneDNN ").append(enabled() ? "on" : "off").toString();
    }

    private static String cpuInfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: no flags.
        }
        return "";
    }
}
