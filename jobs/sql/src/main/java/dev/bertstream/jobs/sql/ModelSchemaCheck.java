package dev.bertstream.jobs.sql;

import dev.bertstream.models.bundle.BundleManifest;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.MapType;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks a model's INPUT and OUTPUT columns against its bundle when the statement is planned, so a
 * misspelt task fails the {@code CREATE MODEL}/{@code ML_PREDICT} statement with a message naming
 * the column and the task instead of failing every row on the cluster.
 *
 * <p>Output columns are named after the bundle's tasks: {@code <task>} (STRING, the label), {@code
 * <task>_score} (DOUBLE or FLOAT), {@code <task>_scores} (MAP&lt;STRING, DOUBLE&gt;), {@code
 * <task>_labels} (ARRAY&lt;STRING&gt;), plus {@code tokens} (INT) and {@code truncated} (BOOLEAN).
 * A task's own name wins over a suffix: a task called {@code spam_score} is a label column.
 */
@Internal
public final class ModelSchemaCheck {

    private static final String NAMING =
            "name OUTPUT columns <task> (STRING), <task>_score (DOUBLE), <task>_scores"
                    + " (MAP<STRING, DOUBLE>), <task>_labels (ARRAY<STRING>), tokens (INT) or"
                    + " truncated (BOOLEAN)";

    private ModelSchemaCheck() {}

    /** The INPUT must be one STRING column: the text to classify. */
    public static void checkInput(String model, ResolvedSchema input) {
        List<Column> columns = input.getColumns();
        if (columns.size() != 1 || !isString(columns.get(0).getDataType().getLogicalType())) {
            throw new ValidationException(
                    String.format(
                            "Model %s: INPUT must be exactly one STRING column (the text to"
                                    + " classify), got (%s)",
                            model, describe(columns)));
        }
    }

    /** Matches every OUTPUT column to a task of {@code bundle}; fails naming column and task. */
    public static List<OutputColumn> outputColumns(
            String model, ResolvedSchema output, BundleManifest bundle) {
        List<String> tasks = bundle.tasks().stream().map(BundleManifest.Task::name).toList();
        List<OutputColumn> out = new ArrayList<>();
        for (Column c : output.getColumns()) {
            out.add(match(model, c, tasks, bundle));
        }
        if (out.isEmpty()) {
            throw new ValidationException(
                    String.format("Model %s has no OUTPUT column; %s", model, NAMING));
        }
        return out;
    }

    private static OutputColumn match(
            String model, Column c, List<String> tasks, BundleManifest bundle) {
        String name = c.getName();
        LogicalType type = c.getDataType().getLogicalType();
        if (tasks.contains(name)) {
            require(model, c, name, isString(type), "STRING (the task's label)");
            return new OutputColumn(name, name, OutputColumn.Field.LABEL, false);
        }
        for (OutputColumn.Field f :
                List.of(
                        OutputColumn.Field.SCORE,
                        OutputColumn.Field.SCORES,
                        OutputColumn.Field.LABELS)) {
            String suffix = "_" + f.name().toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(suffix)) {
                String task = name.substring(0, name.length() - suffix.length());
                if (!tasks.contains(task)) {
                    throw new ValidationException(
                            String.format(
                                    "Model %s: OUTPUT column '%s' reads task '%s', which bundle"
                                            + " %s %s does not have (its tasks: %s)",
                                    model, name, task, bundle.name(), bundle.version(), tasks));
                }
                return typed(model, c, task, f);
            }
        }
        if (name.equals("tokens")) {
            require(model, c, null, type.getTypeRoot() == LogicalTypeRoot.INTEGER, "INT");
            return new OutputColumn(name, null, OutputColumn.Field.TOKENS, false);
        }
        if (name.equals("truncated")) {
            require(model, c, null, type.getTypeRoot() == LogicalTypeRoot.BOOLEAN, "BOOLEAN");
            return new OutputColumn(name, null, OutputColumn.Field.TRUNCATED, false);
        }
        throw new ValidationException(
                String.format(
                        "Model %s: OUTPUT column '%s' matches no task of bundle %s %s (its tasks:"
                                + " %s); %s",
                        model, name, bundle.name(), bundle.version(), tasks, NAMING));
    }

    private static OutputColumn typed(
            String model, Column c, String task, OutputColumn.Field field) {
        LogicalType type = c.getDataType().getLogicalType();
        switch (field) {
            case SCORE:
                require(model, c, task, isScore(type), "DOUBLE or FLOAT (the top class's score)");
                return new OutputColumn(c.getName(), task, field, isFloat(type));
            case SCORES:
                boolean ok =
                        type instanceof MapType m
                                && isString(m.getKeyType())
                                && isScore(m.getValueType());
                require(model, c, task, ok, "MAP<STRING, DOUBLE> (every class's score)");
                return new OutputColumn(
                        c.getName(), task, field, isFloat(((MapType) type).getValueType()));
            case LABELS:
                require(
                        model,
                        c,
                        task,
                        type instanceof ArrayType a && isString(a.getElementType()),
                        "ARRAY<STRING> (the assigned labels)");
                return new OutputColumn(c.getName(), task, field, false);
            default:
                throw new IllegalStateException(field.name());
        }
    }

    private static void require(String model, Column c, String task, boolean ok, String expected) {
        if (!ok) {
            throw new ValidationException(
                    String.format(
                            "Model %s: OUTPUT column '%s'%s must be %s, not %s",
                            model,
                            c.getName(),
                            task == null ? "" : " of task '" + task + "'",
                            expected,
                            c.getDataType().getLogicalType().asSummaryString()));
        }
    }

    private static boolean isString(LogicalType t) {
        return t.is(LogicalTypeFamily.CHARACTER_STRING);
    }

    private static boolean isScore(LogicalType t) {
        return t.getTypeRoot() == LogicalTypeRoot.DOUBLE || isFloat(t);
    }

    private static boolean isFloat(LogicalType t) {
        return t.getTypeRoot() == LogicalTypeRoot.FLOAT;
    }

    private static String describe(List<Column> columns) {
        return columns.stream()
                .map(c -> c.getName() + " " + c.getDataType().getLogicalType().asSummaryString())
                .collect(Collectors.joining(", "));
    }
}
