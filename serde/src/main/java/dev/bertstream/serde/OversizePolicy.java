package dev.bertstream.serde;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/** What happens to an event whose text exceeds the configured size limits. */
@PublicEvolving
public enum OversizePolicy implements DescribedEnum {
    DEAD_LETTER(
            "The record goes to the dead-letter output with reason TEXT_TOO_LARGE or"
                    + " TEXT_TOO_LONG."),
    TRUNCATE(
            "The text is cut at a character boundary to fit both limits and the original UTF-8"
                    + " size is recorded in the attribute 'bertstream.text.truncated-from-bytes'.");

    private final String description;

    OversizePolicy(String description) {
        this.description = description;
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
