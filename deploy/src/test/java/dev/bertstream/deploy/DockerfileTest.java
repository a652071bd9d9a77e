package dev.bertstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfiles, read as text (no Docker engine here): base images match the build's Flink and
 * Java versions, the job jar and model bundle land where the manifests expect them, the build runs
 * the CLI commands that exist, and the build context keeps what the build copies.
 */
class DockerfileTest {

    static final String CPU = "deploy/docker/Dockerfile";
    static final String JOB_POM = "jobs/job/pom.xml";
    static final String APP_POM = "jobs/app/pom.xml";
    static final String GPU = "deploy/docker/Dockerfile.gpu";
    private static final Pattern FLINK_IMAGE =
            Pattern.compile(
                    "flink:(\\d+\\.\\d+\\.\\d+)(?:-scala_[\\d.]+)?-java(\\d+)(?:@sha256:[0-9a-f]{64})?");
    private static final String BUNDLE_DIR = "/opt/bert-stream/models/default";

    /** One instruction: keyword and its arguments, continuation lines joined. */
    record Instruction(String keyword, String args) {
        List<String> words() {
            return Arrays.stream(args.trim().split("\\s+")).toList();
        }

        String flag(String name) {
            return words().stream()
                    .filter(w -> w.startsWith("--" + name + "="))
                    .map(w -> w.substring(name.length() + 3))
                    .findFirst()
                    .orElse(null);
        }

        /** COPY sources and destination, without flags. */
        List<String> paths() {
            return words().stream().filter(w -> !w.startsWith("--")).toList();
        }
    }

    /** A build stage: its base image, name, and instructions. */
    record Stage(String from, String name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        String runs() {
            return String.join("\n", all("RUN").stream().map(Instruction::args).toList());
        }
    }

    static List<Stage> stages(String dockerfile) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Repo.read(dockerfile).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                current.append(trimmed);
                if (!current.isEmpty()) {
                    logical.add(current.toString());
                }
                current.setLength(0);
            }
        }
        List<Stage> stages = new ArrayList<>();
        Map<String, String> globalArgs = new LinkedHashMap<>();
        for (String l : logical) {
            String[] kw = l.split("\\s+", 2);
            Instruction i = new Instruction(kw[0].toUpperCase(), kw.length > 1 ? kw[1] : "");
            if (stages.isEmpty() && i.keyword().equals("ARG")) {
                // ARGs before the first FROM may be used in FROM lines (base image digests).
                String[] nv = i.args().trim().split("=", 2);
                globalArgs.put(nv[0], nv.length > 1 ? nv[1] : "");
            } else if (i.keyword().equals("FROM")) {
                List<String> w = new Instruction("FROM", expand(i.args(), globalArgs)).paths();
                String name = w.size() >= 3 && w.get(1).equalsIgnoreCase("AS") ? w.get(2) : null;
                stages.add(new Stage(w.get(0), name, new ArrayList<>()));
            } else {
                assertThat(stages).as(dockerfile + ": instruction before FROM: " + l).isNotEmpty();
                stages.get(stages.size() - 1).instructions().add(i);
            }
        }
        return stages;
    }

    /** The ARGs declared before the first FROM, with their defaults ("" when none), in order. */
    static Map<String, String> globalArgs(String dockerfile) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String line : Repo.read(dockerfile).split("\n")) {
            String t = line.strip();
            if (t.regionMatches(true, 0, "FROM ", 0, 5)) {
                break;
            }
            if (t.regionMatches(true, 0, "ARG ", 0, 4)) {
                String[] nv = t.substring(4).trim().split("=", 2);
                args.put(nv[0], nv.length > 1 ? nv[1] : "");
            }
        }
        return args;
    }

    /** Replaces ${NAME} and $NAME by the ARG's default, as BuildKit does in FROM. */
    static String expand(String text, Map<String, String> args) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(name, "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    static Stage stage(List<Stage> stages, String name) {
        return stages.stream()
                .filter(s -> name.equals(s.name()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No stage " + name));
    }

    static Stage last(List<Stage> stages) {
        return stages.get(stages.size() - 1);
    }

    /** Destinations of every COPY of the final stage. */
    static List<String> copyDestinations(String dockerfile) {
        return last(stages(dockerfile)).all("COPY").stream()
                .map(c -> c.paths().get(c.paths().size() - 1))
                .toList();
    }

    /** The COPY in the final stage whose destination is {@code dest}. */
    private static Instruction copyTo(List<Stage> stages, String dest) {
        return last(stages).all("COPY").stream()
                .filter(c -> c.paths().get(c.paths().size() - 1).equals(dest))
                .findFirst()
                .orElseThrow(() -> new AssertionError("Nothing is copied to " + dest));
    }

    // ---------------------------------------------------------------- base images

    @Test
    void cpuImageIsTheOfficialFlinkImageOfTheBuildsFlinkAndJava() {
        assertFlinkImage(last(stages(CPU)).from());
    }

    @Test
    void gpuImageCarriesTheSameFlinkDistributionOnCudaWithJava17() {
        List<Stage> stages = stages(GPU);
        Instruction flinkCopy = copyTo(stages, "/opt/flink");
        Stage flink = stage(stages, flinkCopy.flag("from"));
        assertFlinkImage(flink.from());
        assertThat(copyTo(stages, "/docker-entrypoint.sh").flag("from")).isEqualTo(flink.name());

        Stage runtime = last(stages);
        // TensorFlow 2.18 (TensorFlow Java 1.1.0) is built against CUDA 12.5 and cuDNN 9.3; it
        // rejects an older
        // cuDNN minor version.
        assertThat(runtime.from()).startsWith("nvidia/cuda:12.5").contains("-runtime-");
        assertThat(runtime.runs()).containsPattern("libcudnn9-cuda-12=9\\.(3|[4-9])\\.");
        Stage jre = stage(stages, copyTo(stages, "/opt/java/openjdk").flag("from"));
        assertThat(jre.from())
                .startsWith(
                        "eclipse-temurin:" + Repo.rootProperty("maven.compiler.release") + "-jre");
        assertThat(runtime.all("ENTRYPOINT"))
                .extracting(Instruction::args)
                .containsExactly("[\"/docker-entrypoint.sh\"]");
        assertThat(runtime.all("USER")).extracting(Instruction::args).containsExactly("9999:9999");
    }

    private static void assertFlinkImage(String image) {
        Matcher m = FLINK_IMAGE.matcher(image);
        assertThat(m.matches())
                .as("official Flink image with a full version and Java: " + image)
                .isTrue();
        assertThat(m.group(1))
                .as("Flink version of the image = flink.version of the root pom")
                .isEqualTo(Repo.rootProperty("flink.version"));
        assertThat(m.group(2))
                .as("Java of the image = maven.compiler.release")
                .isEqualTo(Repo.rootProperty("maven.compiler.release"));
    }

    // ---------------------------------------------------------------- job jar and bundle

    @ParameterizedTest
    @ValueSource(strings = {CPU, GPU})
    void jobJarIsCopiedUnderItsFinalNameToTheJarUriOfTheManifests(String dockerfile) {
        List<Stage> stages = stages(dockerfile);
        String jar = Repo.shadeFinalName(JOB_POM, "job-jar") + ".jar";
        JsonNode fd = Repo.document(Repo.path("deploy/k8s/base/flink-deployment.yaml"));
        String jarPath =
                fd.path("spec").path("job").path("jarURI").asText().replaceFirst("^local://", "");
        assertThat(jarPath).endsWith("/" + jar);

        Instruction copy = copyTo(stages, jarPath);
        assertThat(copy.paths().get(0)).isEqualTo("/build/jobs/job/target/" + jar);
        Stage build = stage(stages, copy.flag("from"));
        assertThat(build.from().replaceFirst("@sha256:[0-9a-f]{64}$", ""))
                .startsWith("maven:")
                .endsWith("-eclipse-temurin-" + Repo.rootProperty("maven.compiler.release"));
        assertThat(build.runs()).containsPattern("mvn .*-DskipTests .*package");
        assertThat(build.runs())
                .as("-Pgpu only in the GPU image")
                .matches(dockerfile.equals(GPU) ? "(?s).*mvn [^\\n]*-Pgpu.*" : "(?s)((?!-Pgpu).)*");
    }

    @ParameterizedTest
    @ValueSource(strings = {CPU, GPU})
    void bundleIsBuiltWithTheRealCliAndCopiedWhereTheOverlaysLookForIt(String dockerfile) {
        List<Stage> stages = stages(dockerfile);
        Instruction copy = copyTo(stages, BUNDLE_DIR);
        Stage stage = stage(stages, copy.flag("from"));
        String cliJar = "jobs/app/target/" + Repo.shadeFinalName(APP_POM, "cli-jar") + ".jar";
        assertThat(stage.runs())
                .contains("-jar " + cliJar + " models build-default --out " + copy.paths().get(0));
        assertThat(stage.runs().indexOf("mvn "))
                .as("the jar is built before it runs")
                .isBetween(0, stage.runs().indexOf("-jar "));
        // The command line exists as written.
        String cli = Repo.read("jobs/app/src/main/java/dev/bertstream/app/cli/BertStreamCli.java");
        String models =
                Repo.read(
                        "models/tools/src/main/java/dev/bertstream/models/cli/ModelsCommand.java");
        String buildDefault =
                Repo.read(
                        "models/tools/src/main/java/dev/bertstream/models/cli/BuildDefaultCommand.java");
        assertThat(cli).contains("ModelsCommand.class");
        assertThat(models).contains("name = \"models\"", "BuildDefaultCommand.class");
        assertThat(buildDefault).contains("name = \"build-default\"", "names = \"--out\"");
        assertThat(Repo.read(APP_POM))
                .contains("<mainClass>dev.bertstream.app.cli.BertStreamCli</mainClass>");
    }

    @Test
    void gpuProfileSwapsTheTensorFlowNatives() {
        String pom = Repo.read("pom.xml");
        assertThat(pom)
                .containsPattern(
                        "(?s)<id>gpu</id>\\s*<properties>\\s*<tensorflow.native.classifier>linux-x86_64-gpu<");
    }

    // ---------------------------------------------------------------- plugins

    @ParameterizedTest
    @ValueSource(strings = {CPU, GPU})
    void oneS3FileSystemPluginIsEnabled(String dockerfile) {
        String runs = last(stages(dockerfile)).runs();
        Matcher m =
                Pattern.compile(
                                "cp /opt/flink/opt/(flink-s3-fs-(presto|hadoop))-\\*\\.jar /opt/flink/plugins/([\\w-]+)/")
                        .matcher(runs);
        assertThat(m.find())
                .as(dockerfile + " copies an S3 plugin from opt/ into its own plugins/ folder")
                .isTrue();
        assertThat(runs).contains("mkdir -p /opt/flink/plugins/" + m.group(3));
        assertThat(m.find()).as("only one S3 plugin may serve s3://").isFalse();
    }

    // ---------------------------------------------------------------- build context

    @ParameterizedTest
    @ValueSource(strings = {CPU, GPU})
    void buildContextKeepsWhatTheBuildCopies(String dockerfile) {
        DockerIgnore ignore = new DockerIgnore(Repo.read(".dockerignore"));
        assertThat(ignore.ignored("jobs/job/target/bert-stream-job.jar"))
                .as("build output stays out of the context")
                .isTrue();
        assertThat(ignore.ignored(".git/HEAD")).isTrue();
        List<String> copied = new ArrayList<>();
        for (Stage s : stages(dockerfile)) {
            for (Instruction c : s.all("COPY")) {
                if (c.flag("from") == null) {
                    List<String> p = c.paths();
                    copied.addAll(p.subList(0, p.size() - 1));
                }
            }
        }
        assertThat(copied).contains("pom.xml", "deploy/pom.xml", "jobs/");
        for (String source : copied) {
            String probe = source.endsWith("/") ? source + "pom.xml" : source;
            assertThat(ignore.ignored(probe))
                    .as(".dockerignore drops " + probe + ", which " + dockerfile + " copies")
                    .isFalse();
            assertThat(Repo.path(source)).exists();
        }
        // Every module of the reactor must be in the context, or Maven cannot even read the root
        // pom.
        for (String module : modules()) {
            assertThat(copied)
                    .as("module " + module + " is copied")
                    .anyMatch(s -> s.equals(module + "/") || s.equals(module + "/pom.xml"));
        }
    }

    private static List<String> modules() {
        List<String> modules = new ArrayList<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Repo.read("pom.xml"));
        while (m.find()) {
            modules.add(m.group(1));
        }
        assertThat(modules).contains("deploy");
        return modules;
    }

    /**
     * The subset of .dockerignore syntax the repository uses: path globs with * and **, and !
     * exceptions.
     */
    static final class DockerIgnore {
        private final List<String> patterns;

        DockerIgnore(String text) {
            patterns =
                    text.lines()
                            .map(String::strip)
                            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                            .toList();
        }

        boolean ignored(String path) {
            boolean ignored = false;
            for (String p : patterns) {
                boolean negate = p.startsWith("!");
                String glob = (negate ? p.substring(1) : p).replaceAll("/+$", "");
                if (matchesOrIsUnder(glob, path)) {
                    ignored = !negate;
                }
            }
            return ignored;
        }

        private static boolean matchesOrIsUnder(String glob, String path) {
            Pattern re = Pattern.compile(toRegex(glob) + "(/.*)?");
            return re.matcher(path).matches();
        }

        private static String toRegex(String glob) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (glob.startsWith("**/", i)) {
                    sb.append("(.*/)?");
                    i += 2;
                } else if (glob.startsWith("**", i)) {
                    sb.append(".*");
                    i += 1;
                } else if (c == '*') {
                    sb.append("[^/]*");
                } else if (c == '?') {
                    sb.append("[^/]");
                } else {
                    sb.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return sb.toString();
        }
    }
}
