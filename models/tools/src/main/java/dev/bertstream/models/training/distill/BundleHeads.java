package dev.bertstream.models.training.distill;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.graph.GraphVariables;
import dev.bertstream.models.graph.TaskHead;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.List;

/** Reads a bundle's linear task heads back out of its session, for a student to start from. */
@Internal
final class BundleHeads {

    private BundleHeads() {}

    /** Every task head of {@code bundle}, in manifest order. */
    static List<TaskHead> read(ModelBundle bundle) {
        List<TaskHead> heads = new ArrayList<>();
        for (BundleManifest.Task t : bundle.manifest().tasks()) {
            TaskHead probe =
                    new TaskHead(
                            t.name(),
                            t.labels(),
                            new dev.bertstream.models.weights.WeightTensor(
                                    new long[] {1, t.labels().size()},
                                    new float[t.labels().size()]),
                            new dev.bertstream.models.weights.WeightTensor(
                                    new long[] {t.labels().size()}, new float[t.labels().size()]),
                            t.headActivation());
            if (bundle.session().graph().operation(probe.hiddenKernelName()) != null) {
                throw new IllegalArgumentException(
                        "Task '"
                                + t.name()
                                + "' has a hidden layer; distillation supports linear heads only");
            }
            heads.add(
                    new TaskHead(
                            t.name(),
                            t.labels(),
                            GraphVariables.fetch(bundle.session(), probe.kernelName()),
                            GraphVariables.fetch(bundle.session(), probe.biasName()),
                            t.headActivation()));
        }
        return heads;
    }
}
