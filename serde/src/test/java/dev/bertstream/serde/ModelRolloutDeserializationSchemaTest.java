package dev.bertstream.serde;

import dev.bertstream.events.ModelRollout;

import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModelRolloutDeserializationSchemaTest {

    @Test
    void readsARolloutAndSkipsWhatIsNotOneWithoutFailing() {
        ModelRolloutDeserializationSchema schema = new ModelRolloutDeserializationSchema();
        ModelRollout rollout = new ModelRollout("/models/v2", "2", "cd".repeat(32));
        List<ModelRollout> out = new ArrayList<>();
        Collector<ModelRollout> collector =
                new Collector<>() {
                    @Override
                    public void collect(ModelRollout r) {
                        out.add(r);
                    }

                    @Override
                    public void close() {}
                };
        schema.deserialize(record(0, "{\"bundle_uri\":\"/models/v2\"}"), collector);
        schema.deserialize(record(1, null), collector);
        schema.deserialize(record(2, ModelRolloutJson.format(rollout)), collector);
        assertThat(out).containsExactly(rollout);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String value) {
        return new ConsumerRecord<>(
                "control",
                0,
                offset,
                null,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
