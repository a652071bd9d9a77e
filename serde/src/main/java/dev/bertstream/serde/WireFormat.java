package dev.bertstream.serde;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/** How record values are framed on a Kafka topic; chosen per topic. */
@PublicEvolving
public enum WireFormat implements DescribedEnum {
    CONFLUENT(
            "Confluent Schema Registry framing: magic byte 0, 4-byte big-endian schema id, Avro"
                    + " binary. Schema ids come from configuration; no registry call is made."),
    SINGLE_OBJECT(
            "Avro single-object encoding: 0xC3 0x01, the 8-byte little-endian CRC-64-AVRO"
                    + " fingerprint of the writer schema, Avro binary."),
    JSON(
            "Plain JSON object with the schema's snake_case field names, for hand testing. Input"
                    + " only.");

    private final String description;

    WireFormat(String description) {
        this.description = description;
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
