package dev.bertstream.jobs.sql;

import dev.bertstream.models.bundle.BundleManifest;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSchemaCheckTest {

    private static final BundleManifest CHAT =
            new BundleManifest(
                    BundleManifest.CURRENT_FORMAT,
                    "chat",
                    "7",
                    null,
                    64,
                    "cls",
                    null,
                    List.of(
                            new BundleManifest.Task(
                                    "sentiment", List.of("negative", "positive"), null, null),
                            new BundleManifest.Task(
                                    "toxicity", List.of("not_toxic", "toxic"), null, null),
                            new BundleManifest.Task(
                                    "spam_score", List.of("ham", "spam"), null, null)),
                    "tokenizer.json",
                    "saved_model",
                    null);

    @Test
    void everyColumnKindMapsToItsTaskAndField() {
        List<OutputColumn> columns =
                ModelSchemaCheck.outputColumns(
                        "m",
                        ResolvedSchema.of(
                                Column.physical("sentiment", DataTypes.STRING()),
                                Column.physical("sentiment_score", DataTypes.DOUBLE()),
                                Column.physical(
                                        "toxicity_scores",
                                        DataTypes.MAP(DataTypes.STRING(), DataTypes.FLOAT())),
                                Column.physical(
                                        "toxicity_labels", DataTypes.ARRAY(DataTypes.STRING())),
                                Column.physical("tokens", DataTypes.INT()),
                                Column.physical("truncated", DataTypes.BOOLEAN())),
                        CHAT);

        assertThat(columns)
                .containsExactly(
                        new OutputColumn("sentiment", "sentiment", OutputColumn.Field.LABEL, false),
                        new OutputColumn(
                                "sentiment_score", "sentiment", OutputColumn.Field.SCORE, false),
                        new OutputColumn(
                                "toxicity_scores", "toxicity", OutputColumn.Field.SCORES, true),
                        new OutputColumn(
                                "toxicity_labels", "toxicity", OutputColumn.Field.LABELS, false),
                        new OutputColumn("tokens", null, OutputColumn.Field.TOKENS, false),
                        new OutputColumn("truncated", null, OutputColumn.Field.TRUNCATED, false));
    }

    @Test
    void aTaskNamedLikeASuffixIsALabelColumn() {
        List<OutputColumn> columns =
                ModelSchemaCheck.outputColumns(
                        "m",
                        ResolvedSchema.of(Column.physical("spam_score", DataTypes.STRING())),
                        CHAT);

        assertThat(columns.get(0).field()).isEqualTo(OutputColumn.Field.LABEL);
        assertThat(columns.get(0).task()).isEqualTo("spam_score");
    }

    @Test
    void aColumnOfNoTaskIsRefusedNamingTheColumnAndTheBundlesTasks() {
        assertThatThrownBy(
                        () ->
                                ModelSchemaCheck.outputColumns(
                                        "cat.db.chat_classifier",
                                        ResolvedSchema.of(
                                                Column.physical("sentiment", DataTypes.STRING()),
                                                Column.physical("intent", DataTypes.STRING())),
                                        CHAT))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("cat.db.chat_classifier")
                .hasMessageContaining("OUTPUT column 'intent'")
                .hasMessageContaining("bundle chat 7")
                .hasMessageContaining("[sentiment, toxicity, spam_score]");
    }

    @Test
    void aScoreOfAMissingTaskNamesTheTask() {
        assertThatThrownBy(
                        () ->
                                ModelSchemaCheck.outputColumns(
                                        "m",
                                        ResolvedSchema.of(
                                                Column.physical(
                                                        "intent_score", DataTypes.DOUBLE())),
                                        CHAT))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("OUTPUT column 'intent_score' reads task 'intent'");
    }

    @Test
    void aColumnOfTheWrongTypeNamesColumnTaskAndTheExpectedType() {
        assertThatThrownBy(
                        () ->
                                ModelSchemaCheck.outputColumns(
                                        "m",
                                        ResolvedSchema.of(
                                                Column.physical(
                                                        "toxicity_score", DataTypes.STRING())),
                                        CHAT))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("OUTPUT column 'toxicity_score' of task 'toxicity'")
                .hasMessageContaining("DOUBLE or FLOAT")
                .hasMessageContaining("not STRING");
        assertThatThrownBy(
                        () ->
                                ModelSchemaCheck.outputColumns(
                                        "m",
                                        ResolvedSchema.of(
                                                Column.physical("sentiment", DataTypes.DOUBLE())),
                                        CHAT))
                .hasMessageContaining(
                        "OUTPUT column 'sentiment' of task 'sentiment' must be" + " STRING");
    }

    @Test
    void theInputMustBeOneStringColumn() {
        ModelSchemaCheck.checkInput(
                "m", ResolvedSchema.of(Column.physical("text", DataTypes.STRING())));
        assertThatThrownBy(
                        () ->
                                ModelSchemaCheck.checkInput(
                                        "m",
                                        ResolvedSchema.of(
                                                Column.physical("text", DataTypes.STRING()),
                                                Column.physical("lang", DataTypes.STRING()))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("INPUT must be exactly one STRING column")
                .hasMessageContaining("text STRING, lang STRING");
        assertThatThrownBy(
                        () ->
                                ModelSchemaCheck.checkInput(
                                        "m",
                                        ResolvedSchema.of(
                                                Column.physical("id", DataTypes.BIGINT()))))
                .hasMessageContaining("id BIGINT");
    }
}
