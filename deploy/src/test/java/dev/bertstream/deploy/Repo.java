package dev.bertstream.deploy;

import dev.bertstream.jobs.config.ConfigDocs;
import dev.bertstream.jobs.config.JobConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.flink.configuration.ConfigOption;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The repository as the deploy tests see it: files found from the repository root, YAML documents,
 * Maven poms, the job's option keys and defaults (from its code), and a small kustomize (resources,
 * path patches as strategic merges, ConfigMap generators) good enough to check what each overlay
 * renders without a cluster or the kustomize binary.
 */
final class Repo {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Path root;

    private Repo() {}

    /**
     * The repository root: the first directory, walking up from the working directory, holding
     * deploy/k8s.
     */
    static synchronized Path root() {
        if (root == null) {
            Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
            while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
                dir = dir.getParent();
            }
            if (dir == null) {
                throw new IllegalStateException(
                        "No directory above "
                                + System.getProperty("user.dir")
                                + " contains deploy/k8s");
            }
            root = dir;
        }
        return root;
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relative) {
        return read(path(relative));
    }

    /**
     * The Maven project version, handed over by surefire; the root pom's version when run outside
     * Maven.
     */
    static String projectVersion() {
        String v = System.getProperty("bertstream.version");
        return v != null && !v.isBlank() && !v.startsWith("${")
                ? v
                : text(pom("pom.xml").getDocumentElement(), "version");
    }

    // ---------------------------------------------------------------- YAML

    /** The non-empty documents of a YAML file. */
    static List<JsonNode> documents(Path file) {
        try (MappingIterator<JsonNode> it =
                YAML.readerFor(JsonNode.class)
                        .readValues(YAML.getFactory().createParser(file.toFile()))) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file, e);
        }
    }

    static JsonNode document(Path file) {
        List<JsonNode> docs = documents(file);
        if (docs.size() != 1) {
            throw new AssertionError(file + " should hold one YAML document, has " + docs.size());
        }
        return docs.get(0);
    }

    /** Every YAML file under {@code dir}. */
    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flattens nested maps to dotted keys, as the job's config loader does. */
    static Map<String, JsonNode> flatten(JsonNode node) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                flatten(prefix + e.getKey() + ".", e.getValue(), out);
            } else {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
    }

    // ---------------------------------------------------------------- Maven

    static Document pom(String relative) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            return f.newDocumentBuilder().parse(path(relative).toFile());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read " + relative, e);
        }
    }

    /** Text of the direct child {@code name} of {@code parent}, or null. */
    static String text(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** A property of the root pom's {@code <properties>}. */
    static String rootProperty(String name) {
        Element props = child(pom("pom.xml").getDocumentElement(), "properties");
        String v = props == null ? null : text(props, name);
        if (v == null) {
            throw new AssertionError("The root pom has no property " + name);
        }
        return v;
    }

    /** The shade plugin's finalName of the execution {@code executionId} in {@code modulePom}. */
    static String shadeFinalName(String modulePom, String executionId) {
        NodeList executions = pom(modulePom).getElementsByTagName("execution");
        for (int i = 0; i < executions.getLength(); i++) {
            Element e = (Element) executions.item(i);
            if (executionId.equals(text(e, "id"))) {
                Element conf = child(e, "configuration");
                String name = conf == null ? null : text(conf, "finalName");
                if (name != null) {
                    return name;
                }
            }
        }
        throw new AssertionError(
                modulePom + " has no shade execution '" + executionId + "' with a finalName");
    }

    // ---------------------------------------------------------------- job options

    /** Keys of every option the job declares (JobOptions and SerdeOptions), from its code. */
    static Set<String> optionKeys() {
        Set<String> keys = new LinkedHashSet<>();
        ConfigDocs.allOptions().forEach(o -> keys.add(o.key()));
        return keys;
    }

    /**
     * The default of option {@code key} as it is written in a configuration file, or null when it
     * has none.
     */
    static String defaultValue(String key) {
        ConfigOption<?> option =
                ConfigDocs.allOptions().stream()
                        .filter(o -> o.key().equals(key))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("The job has no option " + key));
        return option.hasDefaultValue() ? String.valueOf(option.defaultValue()) : null;
    }

    /**
     * Prefixes the job's config loader passes through unchecked (Flink's own options and Kafka
     * client properties), from JobConfig, so the test accepts exactly what the job accepts.
     */
    static List<String> passThroughPrefixes() {
        List<String> prefixes = new ArrayList<>(JobConfig.FLINK_PREFIXES);
        prefixes.add(JobConfig.KAFKA_PROPERTIES_PREFIX);
        return prefixes;
    }

    static boolean isKnownJobKey(String key) {
        return optionKeys().contains(key)
                || passThroughPrefixes().stream().anyMatch(key::startsWith);
    }

    // ---------------------------------------------------------------- kustomize

    /** What one kustomization.yaml references. */
    record Kustomization(
            Path dir,
            JsonNode doc,
            List<Path> resources,
            List<Path> patches,
            Map<String, List<Path>> configMaps,
            List<Path> configurations) {

        static Kustomization load(Path dir) {
            Path file = dir.resolve("kustomization.yaml");
            JsonNode doc = document(file);
            List<Path> resources = paths(dir, doc.path("resources"));
            List<Path> patches = new ArrayList<>();
            for (JsonNode p : doc.path("patches")) {
                if (!p.hasNonNull("path")) {
                    throw new AssertionError(
                            file
                                    + ": only `patches: - path: file.yaml` entries are supported by "
                                    + "the deploy tests, got "
                                    + p);
                }
                patches.add(dir.resolve(p.get("path").asText()).normalize());
            }
            patches.addAll(paths(dir, doc.path("patchesStrategicMerge")));
            Map<String, List<Path>> configMaps = new LinkedHashMap<>();
            for (JsonNode g : doc.path("configMapGenerator")) {
                List<Path> files = new ArrayList<>();
                for (JsonNode f : g.path("files")) {
                    String s = f.asText();
                    files.add(
                            dir.resolve(s.contains("=") ? s.substring(s.indexOf('=') + 1) : s)
                                    .normalize());
                }
                configMaps.put(g.path("name").asText(), files);
            }
            return new Kustomization(
                    dir,
                    doc,
                    resources,
                    patches,
                    configMaps,
                    paths(dir, doc.path("configurations")));
        }

        private static List<Path> paths(Path dir, JsonNode list) {
            List<Path> out = new ArrayList<>();
            for (JsonNode n : list) {
                out.add(dir.resolve(n.asText()).normalize());
            }
            return out;
        }

        /**
         * Every file this kustomization refers to (not following other kustomization directories).
         */
        List<Path> referencedFiles() {
            List<Path> all = new ArrayList<>();
            resources.stream().filter(p -> !Files.isDirectory(p)).forEach(all::add);
            all.addAll(patches);
            configMaps.values().forEach(all::addAll);
            all.addAll(configurations);
            return all;
        }
    }

    /**
     * The objects {@code dir}'s kustomization renders: resources (files, or kustomization
     * directories rendered first), ConfigMaps from generators (data keyed by file name, name
     * without kustomize's hash suffix), then its patches merged into the object of the same kind
     * and name. A patch merges maps key by key and replaces lists and scalars, which is what
     * kustomize does for custom resources; a null value deletes the key.
     */
    static List<ObjectNode> render(Path dir) {
        Kustomization k = Kustomization.load(dir);
        List<ObjectNode> objects = new ArrayList<>();
        for (Path r : k.resources()) {
            if (Files.isDirectory(r)) {
                objects.addAll(render(r));
            } else {
                documents(r).forEach(d -> objects.add((ObjectNode) d.deepCopy()));
            }
        }
        k.configMaps()
                .forEach(
                        (name, files) -> {
                            ObjectNode cm = YAML.createObjectNode();
                            cm.put("apiVersion", "v1")
                                    .put("kind", "ConfigMap")
                                    .putObject("metadata")
                                    .put("name", name);
                            ObjectNode data = cm.putObject("data");
                            files.forEach(f -> data.put(f.getFileName().toString(), read(f)));
                            objects.add(cm);
                        });
        for (Path patchFile : k.patches()) {
            for (JsonNode patch : documents(patchFile)) {
                ObjectNode target =
                        objects.stream()
                                .filter(o -> sameObject(o, patch))
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new AssertionError(
                                                        "Patch "
                                                                + patchFile
                                                                + " matches no resource: "
                                                                + patch.path("kind").asText()
                                                                + "/"
                                                                + patch.path("metadata")
                                                                        .path("name")
                                                                        .asText()));
                merge(target, (ObjectNode) patch);
            }
        }
        String namespace = k.doc().path("namespace").asText(null);
        if (namespace != null) {
            objects.stream()
                    .filter(o -> !o.path("kind").asText().equals("Namespace"))
                    .forEach(o -> ((ObjectNode) o.get("metadata")).put("namespace", namespace));
        }
        return objects;
    }

    private static boolean sameObject(JsonNode a, JsonNode b) {
        return a.path("kind").asText().equals(b.path("kind").asText())
                && a.path("metadata")
                        .path("name")
                        .asText()
                        .equals(b.path("metadata").path("name").asText());
    }

    private static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (e.getValue().isNull()) {
                target.remove(e.getKey());
            } else if (existing != null && existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    static ObjectNode single(List<ObjectNode> objects, String kind) {
        List<ObjectNode> found = ofKind(objects, kind);
        if (found.size() != 1) {
            throw new AssertionError("Expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }
}
