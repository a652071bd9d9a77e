package dev.bertstream.app.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqlBenchCommandTest {

    @Test
    void everySecondRoundRunsThePathsInReverse() {
        List<String> paths = List.of("datastream", "sql");

        assertThat(SqlBenchCommand.roundOrder(paths, 1)).containsExactly("datastream", "sql");
        assertThat(SqlBenchCommand.roundOrder(paths, 2)).containsExactly("sql", "datastream");
        assertThat(SqlBenchCommand.roundOrder(paths, 3)).containsExactly("datastream", "sql");
        assertThat(paths).containsExactly("datastream", "sql");
    }
}
