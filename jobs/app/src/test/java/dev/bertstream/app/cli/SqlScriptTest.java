package dev.bertstream.app.cli;

import dev.bertstream.jobs.testutils.TestBundles;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlScriptTest {

    static final Path EXAMPLE = Path.of("..", "..", "docs", "sql", "chat-classifier.sql");

    @Test
    void statementsSplitAtSemicolonsOutsideLiteralsWithoutComments() {
        List<String> statements =
                SqlScript.statements(
                        "-- a comment; with a semicolon\n"
                                + "SET 'a' = 'x;y';\n"
                                + "SELECT '--not a comment' FROM t ;\n\n",
                        Map.of());
        assertThat(statements)
                .containsExactly("SET 'a' = 'x;y'", "SELECT '--not a comment' FROM t");
    }

    @Test
    void setStatementsAreReadAsOptions() {
        assertThat(SqlScript.setOption("SET 'execution.checkpointing.interval' = '2 s'"))
                .contains(Map.entry("execution.checkpointing.interval", "2 s"));
        assertThat(SqlScript.setOption("CREATE TABLE t (a INT)")).isEmpty();
    }

    @Test
    void aPlaceholderWithoutValueNamesTheVarToPass() {
        assertThatThrownBy(() -> SqlScript.statements("SELECT '${bundle}'", Map.of()))
                .hasMessageContaining("${bundle}")
                .hasMessageContaining("--var bundle=VALUE");
    }

    @Test
    void theExampleScriptPlansWithTheKafkaTablesAndTheBertStreamModel(@TempDir Path dir)
            throws Exception {
        String script = Files.readString(EXAMPLE);
        assertThat(SqlScript.placeholders(script))
                .containsExactly("kafka.bootstrap-servers", "bundle");
        Path bundle = TestBundles.chatBundle(dir.resolve("bundle"), "1");
        List<String> statements =
                SqlScript.statements(
                        script,
                        Map.of(
                                "kafka.bootstrap-servers",
                                "localhost:1",
                                "bundle",
                                bundle.toString()));
        assertThat(statements).hasSize(6);

        StreamTableEnvironment sql =
                StreamTableEnvironment.create(StreamExecutionEnvironment.getExecutionEnvironment());
        for (String statement : statements.subList(0, 5)) {
            var set = SqlScript.setOption(statement);
            if (set.isPresent()) {
                sql.getConfig().set(set.get().getKey(), set.get().getValue());
            } else {
                sql.executeSql(statement);
            }
        }
        assertThat(sql.getConfig().getConfiguration().toMap().get(SqlCommand.MAX_CONCURRENT))
                .isEqualTo("256");
        String plan = sql.explainSql(statements.get(5));
        assertThat(plan).contains("chat_classifier").contains("chat_labeled");
    }
}
