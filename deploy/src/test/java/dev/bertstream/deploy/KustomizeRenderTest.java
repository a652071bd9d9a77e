package dev.bertstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The other tests read the overlays through {@link Repo#render}, a small kustomize. Where kubectl
 * is installed, this checks that real kustomize ({@code kubectl kustomize}) renders the same
 * objects, so those tests check what {@code kubectl apply -k} would send. Skipped without kubectl.
 */
class KustomizeRenderTest {

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/cpu", "overlays/gpu"})
    void realKustomizeRendersWhatTheTestsCheck(String dir) throws Exception {
        String kubectl = kubectl();
        assumeTrue(kubectl != null, "kubectl is not installed");
        Path k = Repo.path("deploy/k8s").resolve(dir);
        Process p =
                new ProcessBuilder(kubectl, "kustomize", k.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize " + dir + ":\n" + out).isZero();

        // Generated ConfigMaps get a content hash; references to them must have been rewritten to
        // it.
        assertThat(out).containsPattern("name: bert-stream-job-[a-z0-9]{10}\\n");
        assertThat(out).doesNotContainPattern("name: bert-stream-job\\n");
        List<JsonNode> real =
                normalize(parse(out.replaceAll("bert-stream-job-[a-z0-9]{10}", "bert-stream-job")));
        List<JsonNode> ours = normalize(new ArrayList<>(Repo.render(k)));
        assertThat(ours).isEqualTo(real);
    }

    private static List<JsonNode> parse(String yaml) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Repo.YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        return docs;
    }

    /**
     * Drops what only kustomize's namespace transformer adds to nested fields, and sorts by kind
     * and name.
     */
    private static List<JsonNode> normalize(List<? extends JsonNode> objects) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode o : objects) {
            ObjectNode copy = o.deepCopy();
            copy.path("subjects").forEach(s -> ((ObjectNode) s).remove("namespace"));
            out.add(copy);
        }
        out.sort(
                Comparator.comparing((JsonNode o) -> o.path("kind").asText())
                        .thenComparing(o -> o.path("metadata").path("name").asText()));
        return out;
    }

    private static String kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
