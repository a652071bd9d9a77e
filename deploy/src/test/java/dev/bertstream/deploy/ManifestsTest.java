package dev.bertstream.deploy;

import dev.bertstream.deploy.Repo.Kustomization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests, checked without a cluster: every file is a well-formed object that some
 * kustomization uses, and what each overlay renders is a FlinkDeployment the operator accepts,
 * wired to the image, the job jar, the job's options, the Kafka topics and Prometheus the way the
 * rest of the repository expects.
 */
class ManifestsTest {

    private static final Path K8S = Repo.path("deploy/k8s");
    private static final Path BASE = K8S.resolve("base");
    private static final List<String> OVERLAYS = List.of("cpu", "gpu");

    /**
     * The FlinkDeployment name becomes the cluster id; the operator's validator allows this much.
     */
    private static final Pattern DEPLOYMENT_NAME =
            Pattern.compile("[a-z]([-a-z\\d]{0,43}[a-z\\d])?");

    /** Keys the operator rejects in flinkConfiguration (it sets them itself). */
    private static final List<String> FORBIDDEN_FLINK_KEYS =
            List.of(
                    "kubernetes.namespace",
                    "kubernetes.cluster-id",
                    "high-availability.cluster-id");

    /**
     * Pre-2.0 names Flink 2.2 reads only as deprecated fallbacks, or never
     * (execution.restart-strategy.*).
     */
    private static final List<String> OLD_FLINK_KEYS =
            List.of(
                    "state.checkpoints.dir",
                    "state.savepoints.dir",
                    "state.backend",
                    "state.backend.incremental",
                    "state.checkpoints.num-retained",
                    "high-availability",
                    "high-availability.zookeeper.storageDir",
                    "restart-strategy",
                    "execution.restart-strategy.type");

    private static final Pattern MEMORY = Pattern.compile("\\d+(\\.\\d+)?(m|g|mb|gb|Mi|Gi)");

    // ---------------------------------------------------------------- files

    @Test
    void everyYamlFileIsUsedByAKustomization() {
        List<Path> kustomizationDirs = kustomizationDirs();
        assertThat(kustomizationDirs)
                .extracting(d -> K8S.relativize(d).toString().replace('\\', '/'))
                .contains("base", "overlays/cpu", "overlays/gpu");
        Set<Path> used = new HashSet<>();
        for (Path dir : kustomizationDirs) {
            used.add(dir.resolve("kustomization.yaml"));
            used.addAll(Kustomization.load(dir).referencedFiles());
        }
        assertThat(Repo.yamlFiles(K8S))
                .as("YAML files no kustomization uses (dead or misspelled)")
                .allSatisfy(f -> assertThat(used).contains(f));
    }

    @Test
    void everyKustomizationReferenceExists() {
        for (Path dir : kustomizationDirs()) {
            Kustomization k = Kustomization.load(dir);
            assertThat(k.doc().path("apiVersion").asText())
                    .as(dir + " apiVersion")
                    .isEqualTo("kustomize.config.k8s.io/v1beta1");
            assertThat(k.doc().path("kind").asText()).as(dir + " kind").isEqualTo("Kustomization");
            for (Path r : k.resources()) {
                assertThat(
                                Files.isRegularFile(r)
                                        || Files.isRegularFile(r.resolve("kustomization.yaml")))
                        .as(
                                dir
                                        + ": resource "
                                        + r
                                        + " is neither a file nor a kustomization directory")
                        .isTrue();
            }
            for (Path f : k.referencedFiles()) {
                assertThat(f).as(dir + " refers to it").isRegularFile();
            }
        }
    }

    @Test
    void everyManifestHasApiVersionKindAndName() {
        List<Path> manifests = new ArrayList<>();
        for (Path dir : kustomizationDirs()) {
            Kustomization k = Kustomization.load(dir);
            k.resources().stream().filter(Files::isRegularFile).forEach(manifests::add);
            manifests.addAll(k.patches());
        }
        assertThat(manifests).isNotEmpty();
        for (Path file : manifests) {
            List<JsonNode> docs = Repo.documents(file);
            assertThat(docs).as(file + " documents").isNotEmpty();
            for (JsonNode doc : docs) {
                assertThat(doc.path("apiVersion").asText()).as(file + " apiVersion").isNotBlank();
                assertThat(doc.path("kind").asText()).as(file + " kind").isNotBlank();
                assertThat(doc.path("metadata").path("name").asText())
                        .as(file + " metadata.name")
                        .isNotBlank();
            }
        }
    }

    // ---------------------------------------------------------------- the FlinkDeployment

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void flinkDeploymentHasWhatTheOperatorRequires(String overlay) {
        List<ObjectNode> objects = Repo.render(K8S.resolve("overlays").resolve(overlay));
        ObjectNode fd = Repo.single(objects, "FlinkDeployment");
        JsonNode spec = fd.path("spec");

        assertThat(fd.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(fd.path("metadata").path("name").asText()).matches(DEPLOYMENT_NAME);
        assertThat(spec.path("image").asText()).isNotBlank();
        String[] flink = Repo.rootProperty("flink.version").split("\\.");
        assertThat(spec.path("flinkVersion").asText())
                .as("flinkVersion for flink.version of the root pom")
                .isEqualTo("v" + flink[0] + "_" + flink[1]);
        assertThat(spec.path("mode").asText("native")).isEqualTo("native");

        String serviceAccount = spec.path("serviceAccount").asText();
        assertThat(serviceAccount).isNotBlank();
        assertServiceAccountMayRunFlink(objects, serviceAccount);

        for (String component : List.of("jobManager", "taskManager")) {
            JsonNode resource = spec.path(component).path("resource");
            assertThat(resource.path("memory").asText())
                    .as(component + ".resource.memory")
                    .matches(MEMORY);
            assertThat(resource.path("cpu").asDouble())
                    .as(component + ".resource.cpu")
                    .isPositive();
        }

        JsonNode job = spec.path("job");
        assertThat(job.path("jarURI").asText())
                .as("job.jarURI: the job jar in the image")
                .isEqualTo(
                        "local:///opt/flink/usrlib/"
                                + Repo.shadeFinalName("jobs/job/pom.xml", "job-jar")
                                + ".jar");
        String entryClass = job.path("entryClass").asText();
        assertThat(Repo.path("jobs/job/src/main/java/" + entryClass.replace('.', '/') + ".java"))
                .as("job.entryClass")
                .isRegularFile();
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("state").asText()).isEqualTo("running");
        assertThat(job.path("parallelism").asInt()).isPositive();

        Map<String, String> conf = flinkConfiguration(fd);
        assertThat(conf.get("execution.checkpointing.dir"))
                .as("checkpoint dir")
                .startsWith("s3://");
        assertThat(conf.get("execution.checkpointing.savepoint-dir"))
                .as("savepoint dir (savepoint upgrades)")
                .startsWith("s3://");
        assertThat(conf.get("high-availability.type")).isEqualTo("kubernetes");
        assertThat(conf.get("high-availability.storageDir")).startsWith("s3://");
        assertThat(conf.get("restart-strategy.type")).isNotBlank();
        assertThat(conf).doesNotContainKeys(FORBIDDEN_FLINK_KEYS.toArray(String[]::new));
        assertThat(conf.keySet())
                .as("pre-Flink-2 option names")
                .doesNotContainAnyElementsOf(OLD_FLINK_KEYS)
                .noneMatch(k -> k.startsWith("execution.restart-strategy."));
        if ("true".equals(conf.get("kubernetes.operator.deployment.rollback.enabled"))) {
            assertThat(conf.get("high-availability.type"))
                    .as("the operator's rollback needs HA")
                    .isNotBlank();
        }
        int slots = Integer.parseInt(conf.getOrDefault("taskmanager.numberOfTaskSlots", "1"));
        assertThat(job.path("parallelism").asInt() % slots)
                .as("parallelism fills whole TaskManagers")
                .isZero();
    }

    @Test
    void flinkConfigurationValuesAreStrings() {
        // The CRD's flinkConfiguration is a map of strings: an unquoted 2 or true would be
        // rejected.
        for (String overlay : OVERLAYS) {
            ObjectNode fd =
                    Repo.single(
                            Repo.render(K8S.resolve("overlays").resolve(overlay)),
                            "FlinkDeployment");
            fd.path("spec")
                    .path("flinkConfiguration")
                    .fields()
                    .forEachRemaining(
                            e ->
                                    assertThat(e.getValue().isTextual())
                                            .as(
                                                    overlay
                                                            + ": flinkConfiguration "
                                                            + e.getKey()
                                                            + " must be a quoted string")
                                            .isTrue());
            fd.path("spec")
                    .path("job")
                    .path("args")
                    .forEach(
                            a ->
                                    assertThat(a.isTextual())
                                            .as(overlay + ": job arg " + a + " must be a string")
                                            .isTrue());
        }
    }

    private static void assertServiceAccountMayRunFlink(
            List<ObjectNode> objects, String serviceAccount) {
        assertThat(Repo.ofKind(objects, "ServiceAccount"))
                .as("the FlinkDeployment's service account is deployed")
                .anyMatch(sa -> sa.path("metadata").path("name").asText().equals(serviceAccount));
        ObjectNode binding =
                Repo.ofKind(objects, "RoleBinding").stream()
                        .filter(
                                b ->
                                        stream(b.path("subjects"))
                                                .anyMatch(
                                                        s ->
                                                                s.path("kind")
                                                                                .asText()
                                                                                .equals(
                                                                                        "ServiceAccount")
                                                                        && s.path("name")
                                                                                .asText()
                                                                                .equals(
                                                                                        serviceAccount)))
                        .findFirst()
                        .orElseThrow(
                                () -> new AssertionError("No RoleBinding for " + serviceAccount));
        String roleName = binding.path("roleRef").path("name").asText();
        ObjectNode role =
                Repo.ofKind(objects, "Role").stream()
                        .filter(r -> r.path("metadata").path("name").asText().equals(roleName))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "RoleBinding refers to missing Role " + roleName));
        // Native mode: the JobManager creates and deletes TaskManager pods; Kubernetes HA edits
        // ConfigMaps.
        for (String resource : List.of("pods", "configmaps")) {
            for (String verb : List.of("get", "list", "watch", "create", "update", "delete")) {
                assertThat(
                                stream(role.path("rules"))
                                        .anyMatch(
                                                rule ->
                                                        contains(rule.path("apiGroups"), "")
                                                                && contains(
                                                                        rule.path("resources"),
                                                                        resource)
                                                                && (contains(
                                                                                rule.path("verbs"),
                                                                                verb)
                                                                        || contains(
                                                                                rule.path("verbs"),
                                                                                "*"))))
                        .as("Role " + roleName + " allows " + verb + " " + resource)
                        .isTrue();
            }
        }
    }

    // ---------------------------------------------------------------- images

    @Test
    void everyImageTagIsTheProjectVersion() {
        String version = Repo.projectVersion();
        List<String> seen = new ArrayList<>();
        for (Path file : Repo.yamlFiles(K8S)) {
            for (JsonNode doc : Repo.documents(file)) {
                for (String image : fieldValues(doc, "image")) {
                    seen.add(image);
                    int colon = image.lastIndexOf(':');
                    assertThat(colon)
                            .as(file + ": image " + image + " has a tag")
                            .isGreaterThan(image.lastIndexOf('/'));
                    assertThat(image.substring(0, colon))
                            .as(file + ": image repository")
                            .endsWith("bert-stream");
                    boolean gpu = file.startsWith(K8S.resolve("overlays/gpu"));
                    assertThat(image.substring(colon + 1))
                            .as(file + ": image tag")
                            .isEqualTo(gpu ? version + "-gpu" : version);
                }
            }
        }
        assertThat(seen).as("image references").hasSizeGreaterThanOrEqualTo(2);
        assertThat(
                        Repo.single(Repo.render(K8S.resolve("overlays/gpu")), "FlinkDeployment")
                                .path("spec")
                                .path("image")
                                .asText())
                .endsWith(":" + version + "-gpu");
        assertThat(
                        Repo.single(Repo.render(K8S.resolve("overlays/cpu")), "FlinkDeployment")
                                .path("spec")
                                .path("image")
                                .asText())
                .endsWith(":" + version);
    }

    // ---------------------------------------------------------------- job options

    @Test
    void jobYamlKeysAreOptionsTheJobKnows() {
        Map<String, JsonNode> jobYaml = jobYaml();
        assertThat(jobYaml).isNotEmpty();
        assertThat(Repo.optionKeys())
                .as("option keys of the job")
                .contains("kafka.bootstrap-servers", "inference.model", "serde.input.format");
        assertThat(jobYaml.keySet())
                .allSatisfy(
                        key ->
                                assertThat(Repo.isKnownJobKey(key))
                                        .as(
                                                "job.yaml key '"
                                                        + key
                                                        + "' is not declared in JobOptions/SerdeOptions and not passed through "
                                                        + "by JobConfig; the job would refuse to start")
                                        .isTrue());
        assertThat(jobYaml.keySet())
                .as("required by the job")
                .contains("kafka.bootstrap-servers", "kafka.transactional-id-prefix");
        assertThat(jobYaml.values()).allSatisfy(v -> assertThat(v.isValueNode()).isTrue());
        if ("CONFLUENT".equals(text(jobYaml, "serde.input.format", "CONFLUENT"))) {
            assertThat(jobYaml)
                    .as("CONFLUENT input needs its schema id")
                    .containsKey("serde.input.confluent.schema-id");
        }
        // JobConfig refuses a transaction timeout below twice the checkpoint interval (committed
        // data would be lost).
        Duration checkpoint = duration(text(jobYaml, "job.checkpoint-interval", "10 s"));
        Duration txTimeout = duration(text(jobYaml, "kafka.transaction-timeout", "15 min"));
        assertThat(txTimeout).isGreaterThanOrEqualTo(checkpoint.multipliedBy(2));
        assertThat(txTimeout)
                .as("the brokers' default transaction.max.timeout.ms")
                .isLessThanOrEqualTo(Duration.ofMinutes(15));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void jobArgumentsReadTheMountedConfigAndSetTheModelOnce(String overlay) {
        List<ObjectNode> objects = Repo.render(K8S.resolve("overlays").resolve(overlay));
        ObjectNode fd = Repo.single(objects, "FlinkDeployment");
        Map<String, List<String>> args = args(fd);

        // --config points into the ConfigMap generated from base/job.yaml, mounted in the
        // JobManager.
        assertThat(args.get("config")).as("--config").hasSize(1);
        Path config = Path.of(args.get("config").get(0));
        JsonNode jmPod = fd.path("spec").path("jobManager").path("podTemplate").path("spec");
        JsonNode mount =
                stream(mainContainer(jmPod).path("volumeMounts"))
                        .filter(
                                m ->
                                        config.getParent()
                                                .equals(Path.of(m.path("mountPath").asText())))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "No JobManager volume mounted at "
                                                        + config.getParent()));
        JsonNode volume =
                stream(jmPod.path("volumes"))
                        .filter(v -> v.path("name").equals(mount.path("name")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("No volume " + mount.path("name")));
        String configMapName = volume.path("configMap").path("name").asText();
        ObjectNode configMap =
                Repo.ofKind(objects, "ConfigMap").stream()
                        .filter(c -> c.path("metadata").path("name").asText().equals(configMapName))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "The JobManager mounts ConfigMap "
                                                        + configMapName
                                                        + ", which is not generated"));
        assertThat(configMap.path("data").has(config.getFileName().toString()))
                .as("ConfigMap " + configMapName + " has " + config.getFileName())
                .isTrue();
        assertThat(Kustomization.load(BASE).configurations())
                .as(
                        "kustomize must know the FlinkDeployment's "
                                + "ConfigMap reference to put in the hashed name")
                .isNotEmpty();
        assertThat(Repo.read(Kustomization.load(BASE).configurations().get(0)))
                .contains(
                        "kind: FlinkDeployment",
                        "spec/jobManager/podTemplate/spec/volumes/configMap/name");

        // Every other argument is a --key value pair of a known option.
        args.keySet().stream()
                .filter(k -> !k.equals("config"))
                .forEach(
                        key ->
                                assertThat(Repo.isKnownJobKey(key))
                                        .as("job argument --" + key + " is not a job option")
                                        .isTrue());

        // The model: set once, here, in the overlay, not in the base.
        assertThat(args.get("inference.model")).as(overlay + ": --inference.model").hasSize(1);
        assertThat(jobYaml())
                .as("base/job.yaml must leave inference.model to the overlays")
                .doesNotContainKey("inference.model");
        assertThat(args(Repo.single(Repo.render(BASE), "FlinkDeployment")))
                .doesNotContainKey("inference.model");
        boolean gpu = overlay.equals("gpu");
        String model = args.get("inference.model").get(0);
        if (model.startsWith("/")) {
            assertThat(
                            DockerfileTest.copyDestinations(
                                    gpu ? DockerfileTest.GPU : DockerfileTest.CPU))
                    .as("a local bundle must be in the overlay's image")
                    .contains(model);
        } else {
            assertThat(model)
                    .as("a remote bundle needs a FileSystem the image has")
                    .startsWith("s3://");
        }

        assertThat(args.getOrDefault("inference.gpu", List.of("false")))
                .as("inference.gpu")
                .containsExactly(String.valueOf(gpu));
        // The job's own parallelism wins over the FlinkDeployment's; keep them equal so the
        // operator sizes right.
        assertThat(fd.path("spec").path("job").path("parallelism").asInt())
                .as("spec.job.parallelism = job.parallelism")
                .isEqualTo(
                        Integer.parseInt(
                                args.getOrDefault(
                                                "job.parallelism",
                                                List.of(text(jobYaml(), "job.parallelism", "1")))
                                        .get(0)));
    }

    // ---------------------------------------------------------------- Kafka topics

    @Test
    void kafkaTopicsExistForEveryTopicTheJobUses() {
        List<ObjectNode> objects = Repo.render(BASE);
        List<ObjectNode> topics = Repo.ofKind(objects, "KafkaTopic");
        Map<String, JsonNode> jobYaml = jobYaml();
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        for (ObjectNode t : topics) {
            assertThat(t.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
            byName.put(
                    t.path("spec")
                            .path("topicName")
                            .asText(t.path("metadata").path("name").asText()),
                    t);
        }
        Map<String, String> used = new LinkedHashMap<>();
        for (String key :
                List.of(
                        "kafka.input-topic",
                        "kafka.labeled-topic",
                        "kafka.moderation-topic",
                        "kafka.dead-letter-topic")) {
            used.put(key, text(jobYaml, key, Repo.defaultValue(key)));
        }
        assertThat(byName.keySet()).as("KafkaTopics").containsAll(used.values());

        String bootstrap = text(jobYaml, "kafka.bootstrap-servers", "");
        for (ObjectNode t : topics) {
            String cluster = t.path("metadata").path("labels").path("strimzi.io/cluster").asText();
            assertThat(cluster).as("strimzi.io/cluster label").isNotBlank();
            assertThat(bootstrap)
                    .as("bootstrap servers of the Strimzi cluster the topics belong to")
                    .startsWith(cluster + "-kafka-bootstrap");
            assertThat(t.path("spec").path("partitions").asInt()).isPositive();
            assertThat(t.path("spec").path("replicas").asInt()).isPositive();
            assertThat(t.path("spec").path("config").path("retention.ms").asLong())
                    .as("retention.ms")
                    .isPositive();
        }
        int parallelism = Integer.parseInt(text(jobYaml, "job.parallelism", "1"));
        assertThat(
                        byName.get(used.get("kafka.input-topic"))
                                .path("spec")
                                .path("partitions")
                                .asInt())
                .as("input partitions bound the source parallelism")
                .isGreaterThanOrEqualTo(parallelism);

        long deadLetterRetention = retention(byName.get(used.get("kafka.dead-letter-topic")));
        for (String key :
                List.of("kafka.input-topic", "kafka.labeled-topic", "kafka.moderation-topic")) {
            assertThat(deadLetterRetention)
                    .as("dead letters outlive " + used.get(key))
                    .isGreaterThan(retention(byName.get(used.get(key))));
        }
    }

    // ---------------------------------------------------------------- metrics

    @Test
    void podMonitorScrapesThePrometheusReporter() {
        List<ObjectNode> objects = Repo.render(BASE);
        ObjectNode fd = Repo.single(objects, "FlinkDeployment");
        ObjectNode monitor = Repo.single(objects, "PodMonitor");
        Map<String, String> conf = flinkConfiguration(fd);

        assertThat(conf.get("metrics.reporter.prom.factory.class"))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        String port = conf.get("metrics.reporter.prom.port");
        assertThat(port).isEqualTo("9249");

        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.path("spec").path("selector").path("matchLabels").path("app").asText())
                .as("Flink labels its pods app=<cluster id>")
                .isEqualTo(fd.path("metadata").path("name").asText());
        String portName =
                monitor.path("spec").path("podMetricsEndpoints").path(0).path("port").asText();
        JsonNode containerPort =
                stream(
                                mainContainer(fd.path("spec").path("podTemplate").path("spec"))
                                        .path("ports"))
                        .filter(p -> p.path("name").asText().equals(portName))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "No container port named "
                                                        + portName
                                                        + " in spec.podTemplate"));
        assertThat(containerPort.path("containerPort").asText()).isEqualTo(port);
    }

    // ---------------------------------------------------------------- GPU

    @Test
    void gpuOverlayGivesEachTaskManagerAGpuAndTheCpuOverlayNone() {
        ObjectNode gpu = Repo.single(Repo.render(K8S.resolve("overlays/gpu")), "FlinkDeployment");
        JsonNode tmPod = gpu.path("spec").path("taskManager").path("podTemplate").path("spec");
        assertThat(
                        mainContainer(tmPod)
                                .path("resources")
                                .path("limits")
                                .path("nvidia.com/gpu")
                                .asInt())
                .as("TaskManager GPU limit")
                .isGreaterThanOrEqualTo(1);
        assertThat(stream(tmPod.path("tolerations")).map(t -> t.path("key").asText()))
                .contains("nvidia.com/gpu");
        assertThat(tmPod.path("nodeSelector").size()).as("GPU nodeSelector").isPositive();
        assertThat(fieldValues(gpu.path("spec").path("jobManager"), "nvidia.com/gpu"))
                .as("JobManager GPUs")
                .isEmpty();

        ObjectNode cpu = Repo.single(Repo.render(K8S.resolve("overlays/cpu")), "FlinkDeployment");
        assertThat(cpu.toString()).doesNotContain("nvidia.com/gpu");
    }

    // ---------------------------------------------------------------- helpers

    private static List<Path> kustomizationDirs() {
        return Repo.yamlFiles(K8S).stream()
                .filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                .map(Path::getParent)
                .toList();
    }

    private static Map<String, JsonNode> jobYaml() {
        return Repo.flatten(Repo.document(BASE.resolve("job.yaml")));
    }

    private static String text(Map<String, JsonNode> yaml, String key, String fallback) {
        JsonNode v = yaml.get(key);
        return v == null ? fallback : v.asText();
    }

    private static Map<String, String> flinkConfiguration(ObjectNode fd) {
        Map<String, String> conf = new LinkedHashMap<>();
        fd.path("spec")
                .path("flinkConfiguration")
                .fields()
                .forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
        return conf;
    }

    /** job.args as option → values ("--config x --a b" → {config: [x], a: [b]}). */
    private static Map<String, List<String>> args(ObjectNode fd) {
        List<String> list =
                stream(fd.path("spec").path("job").path("args")).map(JsonNode::asText).toList();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i += 2) {
            String key = list.get(i);
            assertThat(key).as("job args are --key value pairs: " + list).startsWith("--");
            assertThat(i + 1).as("value of " + key).isLessThan(list.size());
            out.computeIfAbsent(key.substring(2), k -> new ArrayList<>()).add(list.get(i + 1));
        }
        return out;
    }

    private static JsonNode mainContainer(JsonNode podSpec) {
        return stream(podSpec.path("containers"))
                .filter(c -> c.path("name").asText().equals("flink-main-container"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No flink-main-container in " + podSpec));
    }

    private static long retention(ObjectNode topic) {
        return topic.path("spec").path("config").path("retention.ms").asLong();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }

    private static boolean contains(JsonNode array, String value) {
        return stream(array).anyMatch(n -> n.asText().equals(value));
    }

    /** Values of every field called {@code name}, anywhere in {@code node}. */
    private static List<String> fieldValues(JsonNode node, String name) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals(name) && e.getValue().isValueNode()) {
                    out.add(e.getValue().asText());
                }
                out.addAll(fieldValues(e.getValue(), name));
            }
        } else if (node.isArray()) {
            node.forEach(n -> out.addAll(fieldValues(n, name)));
        }
        return out;
    }

    /** Flink-style durations: "30 s", "15 min", "100ms", "1 h", "2 d". */
    static Duration duration(String text) {
        Matcher m = Pattern.compile("\\s*(\\d+)\\s*(ms|s|min|m|h|d)?\\s*").matcher(text);
        if (!m.matches()) {
            throw new AssertionError("Cannot read duration '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "min", "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
