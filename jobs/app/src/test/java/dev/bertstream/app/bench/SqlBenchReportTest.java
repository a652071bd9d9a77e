package dev.bertstream.app.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqlBenchReportTest {

    private static PathResult result(String path, double steady, double meanBatch) {
        return result(path, 1, steady, meanBatch);
    }

    private static PathResult result(String path, int round, double steady, double meanBatch) {
        return new PathResult(
                path, round, 6000, 6000, 0, steady, steady * 0.9, 70, meanBatch, 3, "2.0 2.1 2.2");
    }

    @Test
    void ratioWithinTheBoundSaysHowMuchSlower() {
        String line =
                SqlBenchReport.ratioLine(
                        List.of(result("datastream", 100, 60), result("sql", 90, 58)));

        assertThat(line).isEqualTo("sql / datastream = 0.900 (10.0% slower): within 15%");
    }

    @Test
    void ratioBeyondTheBoundIsFlagged() {
        String line =
                SqlBenchReport.ratioLine(
                        List.of(result("datastream", 100, 60), result("sql", 80, 10)));

        assertThat(line).endsWith("(20.0% slower): NOT within 15%");
    }

    @Test
    void fasterSqlPathSaysFaster() {
        String line =
                SqlBenchReport.ratioLine(
                        List.of(result("datastream", 100, 60), result("sql", 105, 60)));

        assertThat(line).isEqualTo("sql / datastream = 1.050 (5.0% faster): within 15%");
    }

    @Test
    void ratioAveragesEachPathOverItsRounds() {
        String line =
                SqlBenchReport.ratioLine(
                        List.of(
                                result("datastream", 1, 100, 60),
                                result("sql", 1, 70, 60),
                                result("sql", 2, 110, 60),
                                result("datastream", 2, 100, 60)));

        assertThat(line).startsWith("sql / datastream = 0.900 ");
    }

    @Test
    void aPathThatDidNotRunGivesNoRatio() {
        assertThat(SqlBenchReport.ratioLine(List.of(result("sql", 90, 60)))).contains("n/a");
    }

    @Test
    void missingRateGivesNoRatio() {
        String line =
                SqlBenchReport.ratioLine(
                        List.of(result("datastream", Double.NaN, 60), result("sql", 90, 60)));

        assertThat(line).contains("n/a");
    }

    @Test
    void tableHasOneRowPerPathWithMeanBatchOrDash() {
        String table =
                SqlBenchReport.table(
                        List.of(result("datastream", 100, 61.25), result("sql", 95, Double.NaN)));

        assertThat(table.lines()).hasSize(4);
        assertThat(table)
                .contains(
                        "| datastream | 1 | 6000 | 6000 | 0 | 100.0 | 90.0 | 70 | 3 | 61.3 | 2.0 2.1 2.2 |")
                .contains("| sql | 1 | 6000 | 6000 | 0 | 95.0 | 85.5 | 70 | 3 | - | 2.0 2.1 2.2 |");
    }
}
