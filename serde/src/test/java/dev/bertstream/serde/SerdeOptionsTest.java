package dev.bertstream.serde;

import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The options are what a generated README table will show: each needs a key and a description. */
class SerdeOptionsTest {

    @Test
    void everyOptionHasASerdeKeyAndADescription() throws IllegalAccessException {
        List<String> keys = new ArrayList<>();
        for (Field f : SerdeOptions.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != ConfigOption.class) {
                continue;
            }
            ConfigOption<?> option = (ConfigOption<?>) f.get(null);
            assertThat(option.key()).as(f.getName()).startsWith("serde.");
            assertThat(option.description().getBlocks()).as(option.key()).isNotEmpty();
            keys.add(option.key());
        }
        assertThat(keys).hasSize(13).doesNotHaveDuplicates();
    }
}
