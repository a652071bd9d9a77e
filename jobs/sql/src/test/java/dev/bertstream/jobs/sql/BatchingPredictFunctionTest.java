package dev.bertstream.jobs.sql;

import dev.bertstream.jobs.inference.FailureSettings;
import dev.bertstream.jobs.inference.InferenceFailedException;
import dev.bertstream.jobs.inference.InferenceFailurePolicy;
import dev.bertstream.jobs.inference.InferenceSettings;
import dev.bertstream.jobs.inference.InferenceStalledException;
import dev.bertstream.jobs.testutils.ModelFaults;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.Prediction;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.FunctionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ML_PREDICT function on a real tiny bundle, with faults injected into the shared model: rows
 * batched by size and wait, labeled as the predictor labels them, and the job's failure semantics.
 */
class BatchingPredictFunctionTest {

    private static final Duration MAX_WAIT = Duration.ofMillis(50);

    @TempDir static Path dir;
    static Path bundle;
    static List<OutputColumn> columns;

    private ModelFaults faults;
    private BatchingPredictFunction function;

    @BeforeAll
    static void writeBundle() throws Exception {
        bundle = TestBundles.chatBundle(dir.resolve("chat"), "1");
        columns =
                ModelSchemaCheck.outputColumns(
                        "m",
                        ResolvedSchema.of(
                                Column.physical("sentiment", DataTypes.STRING()),
                                Column.physical("toxicity_score", DataTypes.DOUBLE())),
                        ModelBundle.readManifest(bundle));
    }

    @AfterEach
    void close() throws Exception {
        if (function != null) {
            function.close();
        }
        if (faults != null) {
            faults.close();
        }
    }

    @Test
    void fullBatchesGoAtOnceAndTheRestAfterTheMaxWaitLabeledAsThePredictorLabels()
            throws Exception {
        faults = new ModelFaults(1).install();
        open(8, Duration.ofSeconds(30));
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            texts.add("message number " + i + (i % 3 == 0 ? " with a longer tail of words" : ""));
        }
        List<CompletableFuture<Collection<RowData>>> results = predictAll(texts);

        List<RowData> rows = new ArrayList<>();
        for (var r : results) {
            rows.add(single(r.get(10, TimeUnit.SECONDS)));
        }
        assertThat(faults.batchCalls()).extracting(List::size).containsExactly(8, 8, 4);

        List<Prediction> expected = expected(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(rows.get(i).getString(0).toString())
                    .isEqualTo(expected.get(i).task("sentiment").label());
            assertThat(rows.get(i).getDouble(1))
                    .isCloseTo(expected.get(i).task("toxicity").score(), within());
        }
    }

    @Test
    void whileEverySlotIsTakenTheNextBatchGrowsPastItsMaxWait() throws Exception {
        faults = new ModelFaults(5).slowEveryCall(400).install();
        open(8, Duration.ofSeconds(30), 1);
        CompletableFuture<Collection<RowData>> first = predictAll(List.of("first")).get(0);
        Thread.sleep(150); // the first row went alone after its max wait; its call is running
        List<CompletableFuture<Collection<RowData>>> rest =
                predictAll(List.of("two", "three", "four", "five", "six"));

        first.get(10, TimeUnit.SECONDS);
        for (var r : rest) {
            r.get(10, TimeUnit.SECONDS);
        }
        assertThat(faults.batchCalls()).extracting(List::size).containsExactly(1, 5);
    }

    @Test
    void aRowThatFailsOnItsOwnFailsWithAClearErrorAndItsBatchMatesAreLabeled() throws Exception {
        faults = new ModelFaults(2).poison("POISON").install();
        open(4, Duration.ofSeconds(30));
        List<CompletableFuture<Collection<RowData>>> results =
                predictAll(List.of("fine one", "POISON here", "fine two", "fine three"));

        assertThatThrownBy(() -> results.get(1).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(InferenceFailedException.class)
                .hasMessageContaining("fails inference on its own with model m");
        for (int i : new int[] {0, 2, 3}) {
            assertThat(single(results.get(i).get(10, TimeUnit.SECONDS)).isNullAt(0)).isFalse();
        }
    }

    @Test
    void aStalledCallFailsItsRowsAsStalledSoTheJobFailsOverInsteadOfDroppingThem()
            throws Exception {
        faults = new ModelFaults(3).hangOnce(5_000).install();
        open(2, Duration.ofMillis(500));
        List<CompletableFuture<Collection<RowData>>> results = predictAll(List.of("a", "b"));

        for (var r : results) {
            assertThatThrownBy(() -> r.get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(InferenceStalledException.class)
                    .hasMessageContaining("did not finish within inference.timeout (500 ms)");
        }
        assertThat(faults.hangs()).isEqualTo(1);
    }

    @Test
    void aNullTextKeepsItsRowWithNullPredictions() throws Exception {
        faults = new ModelFaults(4).install();
        open(4, Duration.ofSeconds(30));
        RowData row =
                single(
                        function.asyncPredict(GenericRowData.of((Object) null))
                                .get(1, TimeUnit.SECONDS));
        assertThat(row.isNullAt(0)).isTrue();
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(faults.calls()).isEmpty();
    }

    private void open(int maxBatchSize, Duration timeout) throws Exception {
        open(maxBatchSize, timeout, 2);
    }

    private void open(int maxBatchSize, Duration timeout, int capacity) throws Exception {
        function =
                new BatchingPredictFunction(
                        "m",
                        new InferenceSettings(
                                bundle.toString(), 1, 1, 16, 4096, maxBatchSize, false, false),
                        new FailureSettings(
                                timeout,
                                Duration.ofMillis(10),
                                Duration.ofMillis(100),
                                InferenceFailurePolicy.FAIL),
                        maxBatchSize,
                        MAX_WAIT,
                        capacity,
                        columns);
        function.open(new FunctionContext(null));
    }

    private List<CompletableFuture<Collection<RowData>>> predictAll(List<String> texts) {
        List<CompletableFuture<Collection<RowData>>> out = new ArrayList<>();
        for (String t : texts) {
            out.add(function.asyncPredict(GenericRowData.of(StringData.fromString(t))));
        }
        return out;
    }

    private static RowData single(Collection<RowData> rows) {
        assertThat(rows).hasSize(1);
        return rows.iterator().next();
    }

    private static List<Prediction> expected(List<String> texts) {
        try (ModelBundle b = ModelBundle.load(bundle, new SessionSettings(1, 1, false));
                BatchPredictor p = BatchPredictor.builder(b).build()) {
            return p.predict(texts).predictions();
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-4);
    }
}
