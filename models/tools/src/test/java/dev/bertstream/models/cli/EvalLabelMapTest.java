package dev.bertstream.models.cli;

import dev.bertstream.models.testutils.CommandRun;
import dev.bertstream.models.testutils.TestEncoders;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * {@code models eval --label-map/--labels} scores a model on a test set labeled in other words
 * (OLID's {@code offensive} for the head's {@code toxic}), on the tiny random toxicity bundle.
 */
class EvalLabelMapTest {

    @TempDir static Path tmp;
    private static Path model;
    private static Path olidLike;

    @BeforeAll
    static void setUp() throws Exception {
        model = TestEncoders.tinyToxicityBundle(tmp.resolve("tiny"), 5);
        StringBuilder data = new StringBuilder("text\tlabel\n");
        for (int i = 0; i < 40; i++) {
            data.append("@USER message number ")
                    .append(i)
                    .append(i % 3 == 0 ? " you fool" : " see you")
                    .append('\t')
                    .append(i % 3 == 0 ? "offensive" : "not_offensive")
                    .append('\n');
        }
        olidLike = tmp.resolve("olid-like.tsv");
        Files.writeString(olidLike, data);
    }

    @Test
    void aBinaryPredictionIsRightUnderExactlyOneOfTwoOppositeMappings() {
        double right = accuracy(eval("--label-map", "offensive=toxic,not_offensive=not_toxic"));
        double inverted = accuracy(eval("--label-map", "offensive=not_toxic,not_offensive=toxic"));
        assertThat(right + inverted).isCloseTo(1.0, offset(1e-3));
        assertThat(accuracy(eval())).as("unmapped gold labels never match").isZero();
    }

    @Test
    void restrictingToOneLabelPredictsItForEveryText() throws Exception {
        Path reports = tmp.resolve("only-toxic");
        CommandRun run =
                evalTo(
                        reports,
                        "--label-map",
                        "offensive=toxic,not_offensive=not_toxic",
                        "--labels",
                        "toxic");
        // 14 of 40 texts are offensive (i % 3 == 0).
        assertThat(accuracy(run)).isCloseTo(14 / 40.0, offset(1e-4));
        assertThat(Files.readString(reports.resolve("toxicity.md"))).contains("| toxic |");
    }

    @Test
    void restrictingToALabelTheTaskLacksFailsNamingIt() {
        CommandRun run = eval("--labels", "toxic,offensive");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("'offensive'").contains("[not_toxic, toxic]");
    }

    private static CommandRun eval(String... extra) {
        return evalTo(tmp.resolve("eval"), extra);
    }

    private static CommandRun evalTo(Path out, String... extra) {
        String[] base = {
            "eval",
            "--model",
            model.toString(),
            "--task",
            "toxicity=" + olidLike,
            "--out",
            out.toString()
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CommandRun.of(new ModelsCommand(), args);
    }

    private static double accuracy(CommandRun run) {
        assertThat(run.exit()).as(run.err()).isZero();
        Matcher m = Pattern.compile("accuracy (\\d\\.\\d{4})").matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
