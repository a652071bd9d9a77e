package dev.bertstream.serde;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.codec.SchemaHistory;
import dev.bertstream.serde.codec.TextLimiter;

import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link TextEventDeserializationSchema}; {@link #build()} refuses an unusable setup with
 * a message that names the configuration key.
 *
 * <pre>{@code
 * TextEventDeserializationSchema.builder()
 *     .setFormat(WireFormat.CONFLUENT)
 *     .setConfluentSchemaId(41)
 *     .addConfluentWriterSchema(17, oldTextEventSchema)
 *     .setOversizePolicy(OversizePolicy.TRUNCATE)
 *     .build();
 * }</pre>
 */
@PublicEvolving
public final class TextEventDeserializationSchemaBuilder {

    private static final String RECORD = TextEvent.getClassSchema().getName();

    private WireFormat format = SerdeOptions.INPUT_FORMAT.defaultValue();
    private Integer confluentSchemaId;
    private final Map<Integer, Schema> confluentWriterSchemas = new LinkedHashMap<>();
    private final List<Schema> singleObjectWriterSchemas = new ArrayList<>();
    private int textMaxBytes = SerdeOptions.TEXT_MAX_BYTES.defaultValue();
    private int textMaxChars = SerdeOptions.TEXT_MAX_CHARS.defaultValue();
    private OversizePolicy oversizePolicy = SerdeOptions.TEXT_OVERSIZE_POLICY.defaultValue();
    private DeadLetterLimits deadLetterLimits = DeadLetterLimits.defaults();
    private Clock clock = Clock.systemUTC();

    TextEventDeserializationSchemaBuilder() {}

    /** Applies every {@link SerdeOptions} input and text option that {@code config} sets. */
    public TextEventDeserializationSchemaBuilder configure(ReadableConfig config) {
        config.getOptional(SerdeOptions.INPUT_FORMAT).ifPresent(this::setFormat);
        config.getOptional(SerdeOptions.INPUT_CONFLUENT_SCHEMA_ID)
                .ifPresent(this::setConfluentSchemaId);
        config.getOptional(SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS)
                .ifPresent(m -> m.forEach(this::addConfiguredConfluentWriterSchema));
        config.getOptional(SerdeOptions.INPUT_SINGLE_OBJECT_WRITER_SCHEMAS)
                .ifPresent(l -> l.forEach(this::addConfiguredSingleObjectWriterSchema));
        config.getOptional(SerdeOptions.TEXT_MAX_BYTES).ifPresent(this::setTextMaxBytes);
        config.getOptional(SerdeOptions.TEXT_MAX_CHARS).ifPresent(this::setTextMaxChars);
        config.getOptional(SerdeOptions.TEXT_OVERSIZE_POLICY).ifPresent(this::setOversizePolicy);
        setDeadLetterLimits(DeadLetterLimits.from(config));
        return this;
    }

    private void addConfiguredConfluentWriterSchema(String id, String spec) {
        String key = SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS.key();
        int parsed;
        try {
            parsed = Integer.parseInt(id.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + id + "' is not a schema id", e);
        }
        addConfluentWriterSchema(parsed, resolve(key, spec));
    }

    private void addConfiguredSingleObjectWriterSchema(String spec) {
        addSingleObjectWriterSchema(
                resolve(SerdeOptions.INPUT_SINGLE_OBJECT_WRITER_SCHEMAS.key(), spec));
    }

    public TextEventDeserializationSchemaBuilder setFormat(WireFormat format) {
        this.format = format;
        return this;
    }

    /**
     * The registry id of the current TextEvent schema ({@code serde.input.confluent.schema-id}).
     */
    public TextEventDeserializationSchemaBuilder setConfluentSchemaId(int schemaId) {
        this.confluentSchemaId = schemaId;
        return this;
    }

    /** Another registry id producers may use, with the schema registered under it. */
    public TextEventDeserializationSchemaBuilder addConfluentWriterSchema(
            int schemaId, Schema writerSchema) {
        confluentWriterSchemas.put(schemaId, writerSchema);
        return this;
    }

    /** A writer schema to accept in single-object encoding besides the shipped versions. */
    public TextEventDeserializationSchemaBuilder addSingleObjectWriterSchema(Schema writerSchema) {
        singleObjectWriterSchemas.add(writerSchema);
        return this;
    }

    public TextEventDeserializationSchemaBuilder setTextMaxBytes(int maxBytes) {
        this.textMaxBytes = maxBytes;
        return this;
    }

    public TextEventDeserializationSchemaBuilder setTextMaxChars(int maxChars) {
        this.textMaxChars = maxChars;
        return this;
    }

    public TextEventDeserializationSchemaBuilder setOversizePolicy(OversizePolicy policy) {
        this.oversizePolicy = policy;
        return this;
    }

    public TextEventDeserializationSchemaBuilder setDeadLetterMaxValueBytes(int maxValueBytes) {
        this.deadLetterLimits =
                new DeadLetterLimits(
                        maxValueBytes,
                        deadLetterLimits.maxKeyBytes(),
                        deadLetterLimits.maxHeadersBytes());
        return this;
    }

    /** What dead letters keep of a bad record (value, key and headers caps). */
    public TextEventDeserializationSchemaBuilder setDeadLetterLimits(DeadLetterLimits limits) {
        this.deadLetterLimits = limits;
        return this;
    }

    /** The clock of {@code DeadLetter.failed_at}; must be serializable (the JDK's clocks are). */
    public TextEventDeserializationSchemaBuilder setClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public TextEventDeserializationSchema build() {
        sanityCheck();
        Map<Integer, Schema> byId = new LinkedHashMap<>(confluentWriterSchemas);
        if (confluentSchemaId != null) {
            byId.put(confluentSchemaId, TextEvent.getClassSchema());
        }
        List<Schema> singleObject = new ArrayList<>(SchemaHistory.versions(RECORD));
        singleObject.add(TextEvent.getClassSchema());
        singleObject.addAll(singleObjectWriterSchemas);
        return new TextEventDeserializationSchema(
                format,
                format == WireFormat.CONFLUENT ? byId : Map.of(),
                format == WireFormat.SINGLE_OBJECT ? singleObject : List.of(),
                new TextLimiter(textMaxBytes, textMaxChars, oversizePolicy),
                deadLetterLimits,
                clock);
    }

    private void sanityCheck() {
        require(format != null, SerdeOptions.INPUT_FORMAT.key() + " must be set");
        require(oversizePolicy != null, SerdeOptions.TEXT_OVERSIZE_POLICY.key() + " must be set");
        require(clock != null, "clock must not be null");
        require(
                textMaxBytes > 0,
                SerdeOptions.TEXT_MAX_BYTES.key() + " must be positive, got " + textMaxBytes);
        require(
                textMaxChars > 0,
                SerdeOptions.TEXT_MAX_CHARS.key() + " must be positive, got " + textMaxChars);
        require(deadLetterLimits != null, "dead-letter limits must not be null");
        if (format == WireFormat.CONFLUENT) {
            require(
                    confluentSchemaId != null || !confluentWriterSchemas.isEmpty(),
                    SerdeOptions.INPUT_CONFLUENT_SCHEMA_ID.key()
                            + " is required when "
                            + SerdeOptions.INPUT_FORMAT.key()
                            + " is CONFLUENT");
            require(
                    confluentSchemaId == null
                            || !confluentWriterSchemas.containsKey(confluentSchemaId),
                    "schema id "
                            + confluentSchemaId
                            + " is both "
                            + SerdeOptions.INPUT_CONFLUENT_SCHEMA_ID.key()
                            + " and in "
                            + SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS.key());
            confluentWriterSchemas.forEach(
                    (id, s) ->
                            requireReadable(
                                    s,
                                    SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS.key()
                                            + ": the schema of id "
                                            + id));
        }
        if (format == WireFormat.SINGLE_OBJECT) {
            singleObjectWriterSchemas.forEach(
                    s ->
                            requireReadable(
                                    s,
                                    SerdeOptions.INPUT_SINGLE_OBJECT_WRITER_SCHEMAS.key()
                                            + ": schema "
                                            + s.getFullName()));
        }
    }

    private static void requireReadable(Schema writer, String what) {
        String problem = SchemaHistory.incompatibility(TextEvent.getClassSchema(), writer);
        require(problem == null, what + " cannot be read as the current TextEvent: " + problem);
    }

    private static Schema resolve(String key, String spec) {
        try {
            return SchemaHistory.resolve(spec, RECORD);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    key + ": cannot load schema '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
