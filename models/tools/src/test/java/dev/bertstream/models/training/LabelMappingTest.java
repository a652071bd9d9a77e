package dev.bertstream.models.training;

import dev.bertstream.models.inference.TaskPrediction;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class LabelMappingTest {

    private static final List<String> SENTIMENT = List.of("negative", "neutral", "positive");

    @Test
    void goldLabelsAreRenamedAndSeveralMayShareOneModelLabel() {
        LabelMapping m = LabelMapping.parse("hate=toxic, offensive=toxic,neither=not_toxic", null);
        assertThat(m.gold("hate")).isEqualTo("toxic");
        assertThat(m.gold("offensive")).isEqualTo("toxic");
        assertThat(m.gold("neither")).isEqualTo("not_toxic");
        assertThat(m.gold("toxic")).as("unlisted labels stay").isEqualTo("toxic");
    }

    @Test
    void aRestrictedPredictionIsTheMostProbableLabelOfTheSubset() {
        // neutral is the model's answer; of negative and positive, positive is more probable.
        TaskPrediction p =
                new TaskPrediction("neutral", 0.6f, SENTIMENT, new float[] {0.15f, 0.6f, 0.25f});
        LabelMapping binary = LabelMapping.parse(null, "negative,positive");
        assertThat(binary.predicted(p)).isEqualTo("positive");
        assertThat(binary.confidence(p)).isCloseTo(0.25 / 0.40, offset(1e-6));
        assertThat(LabelMapping.IDENTITY.predicted(p)).isEqualTo("neutral");
        assertThat(LabelMapping.IDENTITY.confidence(p)).isCloseTo(0.6, offset(1e-6));
    }

    @Test
    void malformedOrUnknownLabelsAreRejectedNamingThem() {
        assertThatThrownBy(() -> LabelMapping.parse("offensive:toxic", null))
                .hasMessageContaining("'offensive:toxic' is not GOLD=MODEL");
        assertThatThrownBy(() -> LabelMapping.parse("a=b,a=c", null))
                .hasMessageContaining("maps 'a' twice");
        assertThatThrownBy(
                        () ->
                                LabelMapping.parse(null, "negative,happy")
                                        .check("sentiment", SENTIMENT))
                .hasMessageContaining("'happy'")
                .hasMessageContaining("[negative, neutral, positive]");
    }
}
