package dev.bertstream.serde;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;
import java.util.Map;

/**
 * Configuration of the event (de)serialization schemas.
 *
 * <pre>{@code
 * serde.input.format: CONFLUENT
 * serde.input.confluent.schema-id: 41
 * serde.input.confluent.writer-schemas: 17:v1
 * serde.text.max-bytes: 65536
 * serde.text.oversize-policy: TRUNCATE
 * }</pre>
 */
@PublicEvolving
public final class SerdeOptions {

    /**
     * Default of {@link #DEAD_LETTER_MAX_VALUE_BYTES}: fits Kafka's default 1 MiB message limit.
     */
    public static final int DEFAULT_DEAD_LETTER_MAX_VALUE_BYTES = 900 * 1024;

    public static final ConfigOption<WireFormat> INPUT_FORMAT =
            ConfigOptions.key("serde.input.format")
                    .enumType(WireFormat.class)
                    .defaultValue(WireFormat.CONFLUENT)
                    .withDescription("Wire format of the input topic's record values.");

    public static final ConfigOption<Integer> INPUT_CONFLUENT_SCHEMA_ID =
            ConfigOptions.key("serde.input.confluent.schema-id")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Schema Registry id under which the current TextEvent schema is"
                                    + " registered. Required when serde.input.format is CONFLUENT.");

    public static final ConfigOption<Map<String, String>> INPUT_CONFLUENT_WRITER_SCHEMAS =
            ConfigOptions.key("serde.input.confluent.writer-schemas")
                    .mapType()
                    .noDefaultValue()
                    .withDescription(
                            "Further schema ids producers may write with, as id:schema pairs. A"
                                    + " schema is a shipped TextEvent version ('v1', 'v2', …), a"
                                    + " path to an .avsc file, or quoted inline JSON. Each must be"
                                    + " readable as the current TextEvent; the job refuses to"
                                    + " start otherwise. Files are read once, when the job is"
                                    + " built.");

    public static final ConfigOption<List<String>> INPUT_SINGLE_OBJECT_WRITER_SCHEMAS =
            ConfigOptions.key("serde.input.single-object.writer-schemas")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Extra writer schemas (file paths or quoted inline JSON) accepted in"
                                    + " single-object encoding. Every shipped TextEvent version"
                                    + " is always accepted.");

    public static final ConfigOption<Integer> TEXT_MAX_BYTES =
            ConfigOptions.key("serde.text.max-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription(
                            "Largest accepted text, in UTF-8 bytes. Checked on the raw Avro data"
                                    + " before the text is materialized.");

    public static final ConfigOption<Integer> TEXT_MAX_CHARS =
            ConfigOptions.key("serde.text.max-chars")
                    .intType()
                    .defaultValue(16 * 1024)
                    .withDescription("Largest accepted text, in Unicode code points.");

    public static final ConfigOption<OversizePolicy> TEXT_OVERSIZE_POLICY =
            ConfigOptions.key("serde.text.oversize-policy")
                    .enumType(OversizePolicy.class)
                    .defaultValue(OversizePolicy.DEAD_LETTER)
                    .withDescription(
                            "What to do with a text over serde.text.max-bytes or max-chars.");

    public static final ConfigOption<Integer> DEAD_LETTER_MAX_VALUE_BYTES =
            ConfigOptions.key("serde.dead-letter.max-value-bytes")
                    .intType()
                    .defaultValue(DEFAULT_DEAD_LETTER_MAX_VALUE_BYTES)
                    .withDescription(
                            "Most bytes of a bad record's value copied into its dead letter; a"
                                    + " longer value keeps this prefix and is marked"
                                    + " value_truncated, its full copy stays at the source offset."
                                    + " Keep it below the dead-letter topic's max.message.bytes"
                                    + " and the producer's max.request.size minus room for key,"
                                    + " headers and error text, or the sink fails; raise all"
                                    + " three together to keep large values whole.");

    public static final ConfigOption<Integer> DEAD_LETTER_MAX_KEY_BYTES =
            ConfigOptions.key("serde.dead-letter.max-key-bytes")
                    .intType()
                    .defaultValue(16 * 1024)
                    .withDescription(
                            "Most bytes of a failed record's key kept in its dead letter (and used"
                                    + " as the dead letter's Kafka key); a longer key keeps this"
                                    + " prefix and is marked key_truncated.");

    public static final ConfigOption<Integer> DEAD_LETTER_MAX_HEADERS_BYTES =
            ConfigOptions.key("serde.dead-letter.max-headers-bytes")
                    .intType()
                    .defaultValue(32 * 1024)
                    .withDescription(
                            "Most bytes of a failed record's headers kept in its dead letter"
                                    + " (keys, values and 16 bytes per header); the headers that"
                                    + " do not fit are left out and the dead letter is marked"
                                    + " headers_truncated. Value, key and headers caps together"
                                    + " must fit the dead-letter producer's max.request.size; the"
                                    + " job checks this at start-up.");

    public static final ConfigOption<WireFormat> OUTPUT_FORMAT =
            ConfigOptions.key("serde.output.format")
                    .enumType(WireFormat.class)
                    .defaultValue(WireFormat.CONFLUENT)
                    .withDescription(
                            "Wire format of labeled events and dead letters: CONFLUENT or"
                                    + " SINGLE_OBJECT.");

    public static final ConfigOption<Integer> OUTPUT_CONFLUENT_LABELED_EVENT_SCHEMA_ID =
            ConfigOptions.key("serde.output.confluent.labeled-event.schema-id")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Schema Registry id of the current LabeledEvent schema, written in"
                                    + " front of every labeled event in CONFLUENT format.");

    public static final ConfigOption<Integer> OUTPUT_CONFLUENT_DEAD_LETTER_SCHEMA_ID =
            ConfigOptions.key("serde.output.confluent.dead-letter.schema-id")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Schema Registry id of the current DeadLetter schema, written in"
                                    + " front of every dead letter in CONFLUENT format.");

    private SerdeOptions() {}
}
