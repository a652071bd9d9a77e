package dev.bertstream.jobs.sql;

import dev.bertstream.jobs.config.ConfigDocs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BertStreamModelOptionsTest {

    /** Regenerate with {@code BertStreamModelOptionsTest.main} and paste between the markers. */
    @Test
    void theReadmeDocumentsEveryModelOptionAsGenerated() throws Exception {
        String readme = Files.readString(Path.of("..", "..", "README.md"));
        String between =
                readme.substring(
                        readme.indexOf("<!-- sql-model-options -->")
                                + "<!-- sql-model-options -->".length(),
                        readme.indexOf("<!-- /sql-model-options -->"));
        assertThat(between.strip())
                .as("README.md SQL model option table is stale: regenerate it")
                .isEqualTo(ConfigDocs.markdownTable(BertStreamModelOptions.all()).strip());
    }

    @Test
    void theFactoryDeclaresEveryDocumentedOption() {
        BertStreamModelProviderFactory f = new BertStreamModelProviderFactory();
        assertThat(f.requiredOptions()).containsExactly(BertStreamModelOptions.BUNDLE);
        assertThat(f.optionalOptions())
                .hasSize(BertStreamModelOptions.all().size() - 1)
                .doesNotContain(BertStreamModelOptions.BUNDLE);
    }

    public static void main(String[] args) {
        System.out.print(ConfigDocs.markdownTable(BertStreamModelOptions.all()));
    }
}
