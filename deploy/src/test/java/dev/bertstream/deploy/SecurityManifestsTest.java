package dev.bertstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hardened pods, a NetworkPolicy, secrets kept out of ConfigMaps and specs, Kafka over TLS with
 * SCRAM, and a KafkaUser with exactly the ACLs the job needs.
 */
class SecurityManifestsTest {

    private static final Path K8S = Repo.path("deploy/k8s");
    private static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(password|secret|access-key|jaas|credential|token).*");

    private static ObjectNode fd(String overlay) {
        return Repo.single(
                Repo.render(K8S.resolve("overlays").resolve(overlay)), "FlinkDeployment");
    }

    private static Map<String, JsonNode> jobYaml() {
        return Repo.flatten(Repo.document(K8S.resolve("base/job.yaml")));
    }

    private static String conf(ObjectNode fd, String key) {
        return fd.path("spec").path("flinkConfiguration").path(key).asText(null);
    }

    /**
     * What the operator gives a component: the top-level podTemplate merged with the component's,
     * lists of named items (containers, volumes, mounts, env) merged by name, as configured by
     * kubernetes.operator.pod-template.merge-arrays-by-name.
     */
    private static JsonNode podSpec(ObjectNode fd, String component) {
        assertThat(conf(fd, "kubernetes.operator.pod-template.merge-arrays-by-name"))
                .isEqualTo("true");
        ObjectNode merged = fd.path("spec").path("podTemplate").path("spec").deepCopy();
        merge(merged, fd.path("spec").path(component).path("podTemplate").path("spec"));
        return merged;
    }

    private static void merge(ObjectNode target, JsonNode patch) {
        patch.fields()
                .forEachRemaining(
                        e -> {
                            JsonNode old = target.get(e.getKey());
                            JsonNode val = e.getValue();
                            if (old instanceof ObjectNode o && val.isObject()) {
                                merge(o, val);
                            } else if (old instanceof ArrayNode a && val.isArray()) {
                                for (JsonNode item : val) {
                                    JsonNode same = byName(a, item.path("name").asText(null));
                                    if (same instanceof ObjectNode o) {
                                        merge(o, item);
                                    } else {
                                        a.add(item.deepCopy());
                                    }
                                }
                            } else {
                                target.set(e.getKey(), val.deepCopy());
                            }
                        });
    }

    private static JsonNode byName(JsonNode array, String name) {
        for (JsonNode n : array) {
            if (name != null && name.equals(n.path("name").asText(null))) {
                return n;
            }
        }
        return null;
    }

    private static JsonNode main(JsonNode podSpec) {
        JsonNode c = byName(podSpec.path("containers"), "flink-main-container");
        assertThat(c).as("flink-main-container").isNotNull();
        return c;
    }

    // ---------------------------------------------------------------- pods

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void podsRunAsNonRootWithoutPrivilegesOnAReadOnlyRoot(String overlay) {
        ObjectNode fd = fd(overlay);
        for (String component : List.of("jobManager", "taskManager")) {
            String what = overlay + " " + component + ": ";
            JsonNode pod = podSpec(fd, component);
            JsonNode psc = pod.path("securityContext");
            assertThat(psc.path("runAsNonRoot").asBoolean()).as(what + "runAsNonRoot").isTrue();
            assertThat(psc.path("runAsUser").asText())
                    .as(what + "runAsUser = the image's USER")
                    .isEqualTo(ImageHardeningTest.FLINK_UID);
            assertThat(psc.path("seccompProfile").path("type").asText())
                    .isEqualTo("RuntimeDefault");

            JsonNode c = main(pod);
            JsonNode sc = c.path("securityContext");
            assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as(what).isFalse();
            assertThat(sc.path("privileged").asBoolean(false)).as(what).isFalse();
            assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as(what).isTrue();
            assertThat(texts(sc.path("capabilities").path("drop"))).as(what).contains("ALL");
            assertThat(sc.path("capabilities").path("add").size()).as(what).isZero();
            assertThat(sc.path("runAsUser").asText(ImageHardeningTest.FLINK_UID)).isNotEqualTo("0");

            // Where Flink writes: emptyDirs, bounded.
            for (String dir : List.of("/tmp", "/opt/flink/log")) {
                JsonNode mount = null;
                for (JsonNode m : c.path("volumeMounts")) {
                    if (m.path("mountPath").asText().equals(dir)) {
                        mount = m;
                    }
                }
                assertThat(mount).as(what + "writable mount at " + dir).isNotNull();
                JsonNode vol = byName(pod.path("volumes"), mount.path("name").asText());
                assertThat(vol).as(what + "volume of " + dir).isNotNull();
                assertThat(vol.path("emptyDir").path("sizeLimit").asText())
                        .as(what + "sizeLimit of the emptyDir at " + dir)
                        .isNotBlank();
            }
            assertThat(c.path("resources").path("limits").path("ephemeral-storage").asText())
                    .as(what + "ephemeral-storage limit")
                    .isNotBlank();
            assertThat(c.path("resources").path("requests").path("ephemeral-storage").asText())
                    .as(what + "ephemeral-storage request")
                    .isNotBlank();
        }
        assertThat(conf(fd, "io.tmp.dirs")).isEqualTo("/tmp");
        assertThat(conf(fd, "env.java.opts.all"))
                .as("JavaCPP must not extract under the read-only /opt/flink")
                .contains("-Dorg.bytedeco.javacpp.cachedir=/tmp/");
    }

    // ---------------------------------------------------------------- network

    @Test
    void restEndpointIsNotExposedAndTheNetworkPolicyAdmitsOnlyWhatIsNeeded() {
        List<ObjectNode> objects = Repo.render(K8S.resolve("overlays/cpu"));
        ObjectNode fd = Repo.single(objects, "FlinkDeployment");
        assertThat(conf(fd, "kubernetes.rest-service.exposed.type")).isEqualTo("ClusterIP");
        assertThat(Repo.ofKind(objects, "Ingress")).isEmpty();
        for (ObjectNode svc : Repo.ofKind(objects, "Service")) {
            assertThat(svc.path("spec").path("type").asText("ClusterIP")).isEqualTo("ClusterIP");
        }

        JsonNode np = Repo.single(objects, "NetworkPolicy").path("spec");
        JsonNode selector = np.path("podSelector").path("matchLabels");
        assertThat(selector.path("app").asText())
                .as("selects the cluster's pods")
                .isEqualTo(fd.path("metadata").path("name").asText());
        assertThat(texts(np.path("policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");

        for (JsonNode rule : np.path("ingress")) {
            assertThat(rule.path("from").size()).as("ingress from anywhere: " + rule).isPositive();
            for (JsonNode peer : rule.path("from")) {
                assertThat(peer.has("ipBlock")).as("no ingress by address: " + rule).isFalse();
                if (peer.has("namespaceSelector")) {
                    // Outside the namespace: one named pod set, on one port.
                    assertThat(peer.path("podSelector").path("matchLabels").size())
                            .as("pods of another namespace are named: " + rule)
                            .isPositive();
                    assertThat(rule.path("ports").size()).as(rule.toString()).isEqualTo(1);
                } else {
                    assertThat(peer.path("podSelector").path("matchLabels"))
                            .as("inside the namespace only the cluster's own pods: " + rule)
                            .isEqualTo(selector);
                }
            }
        }
        List<String> outsidePorts = new ArrayList<>();
        List<String> outsideNamespaces = new ArrayList<>();
        for (JsonNode rule : np.path("ingress")) {
            if (rule.path("from").path(0).has("namespaceSelector")) {
                outsidePorts.add(rule.path("ports").path(0).path("port").asText());
                outsideNamespaces.add(
                        rule.path("from")
                                .path(0)
                                .path("namespaceSelector")
                                .path("matchLabels")
                                .path("kubernetes.io/metadata.name")
                                .asText());
            }
        }
        assertThat(outsidePorts)
                .containsExactlyInAnyOrder(
                        "8081", conf(fd, "metrics.reporter.prom.port")); // operator, Prometheus
        assertThat(outsideNamespaces).contains("flink-operator");

        // Egress: own pods, DNS, Kafka's TLS port, HTTPS (object store, API server). Every rule
        // names its peers.
        String bootstrap = jobYaml().get("kafka.bootstrap-servers").asText();
        String kafkaPort = bootstrap.substring(bootstrap.lastIndexOf(':') + 1);
        List<String> egressPorts = new ArrayList<>();
        for (JsonNode rule : np.path("egress")) {
            assertThat(rule.path("to").size()).as("egress to anywhere: " + rule).isPositive();
            boolean ownPods =
                    rule.path("to")
                            .path(0)
                            .path("podSelector")
                            .path("matchLabels")
                            .equals(selector);
            if (!ownPods) {
                assertThat(rule.path("ports").size())
                        .as("egress on any port: " + rule)
                        .isPositive();
            }
            rule.path("ports").forEach(p -> egressPorts.add(p.path("port").asText()));
            if (rule.toString().contains("strimzi.io/cluster")) {
                assertThat(texts(rule.path("ports"), "port")).containsExactly(kafkaPort);
            }
        }
        assertThat(egressPorts).containsExactlyInAnyOrder("53", "53", kafkaPort, "443", "6443");
    }

    // ---------------------------------------------------------------- secrets

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void secretsComeFromKubernetesSecretsOnly(String overlay) {
        ObjectNode fd = fd(overlay);
        fd.path("spec")
                .path("flinkConfiguration")
                .fieldNames()
                .forEachRemaining(
                        k ->
                                assertThat(k)
                                        .as("a credential in flinkConfiguration")
                                        .doesNotMatch(SECRET_KEY)
                                        .doesNotStartWith("s3.access")
                                        .doesNotStartWith("s3.secret"));
        assertThat(fd.path("spec").path("job").path("args").toString())
                .doesNotContainPattern("(?i)password|secret-key|access-key");
        for (var e : jobYaml().entrySet()) {
            if (SECRET_KEY.matcher(e.getKey()).matches()) {
                assertThat(e.getValue().asText())
                        .as("job.yaml " + e.getKey() + " must be a reference, not a value")
                        .startsWith("${files:");
            }
        }
        for (String component : List.of("jobManager", "taskManager")) {
            JsonNode pod = podSpec(fd, component);
            for (JsonNode env : main(pod).path("env")) {
                if (SECRET_KEY.matcher(env.path("name").asText()).matches()
                        || env.path("name").asText().startsWith("AWS_")) {
                    assertThat(env.has("value")).as(env + " in clear").isFalse();
                    assertThat(env.path("valueFrom").has("secretKeyRef"))
                            .as(env.toString())
                            .isTrue();
                }
            }
            // The files job.yaml points at are in mounted Secrets, in every pod (Kafka clients run
            // in the JobManager and the TaskManagers).
            String user = secretMountedAt(pod, "/opt/bert-stream/secrets/kafka-user");
            assertThat(user)
                    .as("the KafkaUser's Secret")
                    .isEqualTo(kafkaUser().path("metadata").path("name").asText());
            assertThat(secretMountedAt(pod, "/opt/bert-stream/secrets/kafka-cluster-ca"))
                    .isEqualTo(
                            kafkaUser()
                                            .path("metadata")
                                            .path("labels")
                                            .path("strimzi.io/cluster")
                                            .asText()
                                    + "-cluster-ca-cert");
        }
        assertThat(jobYaml().get("kafka.properties.sasl.jaas.config").asText())
                .isEqualTo("${files:/opt/bert-stream/secrets/kafka-user:sasl.jaas.config}");
        assertThat(jobYaml().get("kafka.properties.ssl.truststore.location").asText())
                .startsWith("/opt/bert-stream/secrets/kafka-cluster-ca/");
        assertThat(conf(fd, "env.java.opts.all"))
                .contains(
                        "-Dorg.apache.kafka.automatic.config.providers="
                                + jobYaml()
                                        .get("kafka.properties.config.providers.files.class")
                                        .asText());
    }

    private static String secretMountedAt(JsonNode pod, String path) {
        for (JsonNode m : main(pod).path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(path)) {
                assertThat(m.path("readOnly").asBoolean()).as(path + " read-only").isTrue();
                JsonNode vol = byName(pod.path("volumes"), m.path("name").asText());
                return vol == null ? null : vol.path("secret").path("secretName").asText(null);
            }
        }
        throw new AssertionError("Nothing mounted at " + path);
    }

    // ---------------------------------------------------------------- Kafka

    private static JsonNode kafkaUser() {
        return Repo.single(Repo.render(K8S.resolve("base")), "KafkaUser");
    }

    @Test
    void kafkaIsReachedOnTheTlsListenerWithScram() {
        Map<String, JsonNode> job = jobYaml();
        assertThat(job.get("kafka.bootstrap-servers").asText()).endsWith(":9093");
        assertThat(job.get("kafka.properties.security.protocol").asText()).isEqualTo("SASL_SSL");
        assertThat(job.get("kafka.properties.sasl.mechanism").asText()).isEqualTo("SCRAM-SHA-512");
        JsonNode user = kafkaUser();
        assertThat(user.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
        assertThat(user.path("spec").path("authentication").path("type").asText())
                .isEqualTo("scram-sha-512");
        String cluster = user.path("metadata").path("labels").path("strimzi.io/cluster").asText();
        assertThat(job.get("kafka.bootstrap-servers").asText())
                .startsWith(cluster + "-kafka-bootstrap:");
    }

    @Test
    void kafkaUserHasExactlyTheAclsTheJobNeeds() {
        Map<String, JsonNode> job = jobYaml();
        String pattern =
                job.containsKey("kafka.intent-topic-pattern")
                        ? job.get("kafka.intent-topic-pattern").asText()
                        : "chat.intent.{label}";
        List<String> expected =
                List.of(
                        "topic literal "
                                + job.get("kafka.input-topic").asText()
                                + " [Describe, Read]",
                        "group literal " + job.get("kafka.group-id").asText() + " [Read]",
                        "topic literal "
                                + job.get("kafka.labeled-topic").asText()
                                + " [Describe, Write]",
                        "topic literal "
                                + job.get("kafka.moderation-topic").asText()
                                + " [Describe, Write]",
                        "topic literal "
                                + job.get("kafka.dead-letter-topic").asText()
                                + " [Describe, Write]",
                        "topic prefix "
                                + pattern.substring(0, pattern.indexOf("{label}"))
                                + " [Describe, Write]",
                        "transactionalId prefix "
                                + job.get("kafka.transactional-id-prefix").asText()
                                + " [Describe, Write]");
        JsonNode authz = kafkaUser().path("spec").path("authorization");
        assertThat(authz.path("type").asText()).isEqualTo("simple");
        List<String> actual = new ArrayList<>();
        for (JsonNode acl : authz.path("acls")) {
            JsonNode r = acl.path("resource");
            assertThat(acl.path("type").asText("allow")).isEqualTo("allow");
            assertThat(acl.path("host").asText("*")).isEqualTo("*");
            List<String> ops = texts(acl.path("operations"));
            if (acl.has("operation")) {
                ops.add(acl.path("operation").asText());
            }
            actual.add(
                    r.path("type").asText()
                            + " "
                            + r.path("patternType").asText("literal")
                            + " "
                            + r.path("name").asText()
                            + " "
                            + ops.stream().sorted().toList());
        }
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
