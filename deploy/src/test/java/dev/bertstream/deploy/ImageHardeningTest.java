package dev.bertstream.deploy;

import dev.bertstream.deploy.DockerfileTest.Instruction;
import dev.bertstream.deploy.DockerfileTest.Stage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both images run as a non-root user and pin every base image by digest (read as text; nothing is
 * built here).
 */
class ImageHardeningTest {

    /** The flink user of the official image; pods run as it too (SecurityManifestsTest). */
    static final String FLINK_UID = "9999";

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern FROM_ARG = Pattern.compile("@\\$\\{?(\\w+)}?");

    @ParameterizedTest
    @ValueSource(strings = {DockerfileTest.CPU, DockerfileTest.GPU})
    void everyBaseImageIsPinnedByDigest(String dockerfile) {
        List<Stage> stages = DockerfileTest.stages(dockerfile);
        Set<String> stageNames =
                stages.stream().map(Stage::name).filter(n -> n != null).collect(Collectors.toSet());
        Map<String, String> args = DockerfileTest.globalArgs(dockerfile);
        String readme = Repo.read("deploy/README.md");
        for (String line : Repo.read(dockerfile).lines().toList()) {
            if (!line.strip().toUpperCase().startsWith("FROM ")) {
                continue;
            }
            String image = line.strip().split("\\s+")[1];
            if (stageNames.contains(image)) {
                continue;
            }
            Matcher arg = FROM_ARG.matcher(image);
            if (arg.find()) {
                String name = arg.group(1);
                assertThat(name).as(dockerfile + ": digest ARG name").endsWith("_IMAGE_DIGEST");
                assertThat(args).as(dockerfile + ": ARG before FROM").containsKey(name);
                String value = args.get(name);
                if (value.isEmpty()) {
                    // No digest could be looked up offline: the build must be given one, and the
                    // README must say how (the build fails without it: "image@" is no reference).
                    assertThat(readme)
                            .as("deploy/README.md documents the required --build-arg " + name)
                            .contains("--build-arg " + name + "=");
                } else {
                    assertDigest(dockerfile + " " + name, value);
                }
            } else {
                assertThat(image).as(dockerfile + ": FROM " + image + " is pinned").contains("@");
                assertDigest(dockerfile + " " + image, image.substring(image.indexOf('@') + 1));
            }
            assertThat(image.substring(0, image.indexOf('@')))
                    .as("keep the tag next to the digest, for readers and for refreshing")
                    .contains(":");
        }
        assertThat(readme).contains("docker buildx imagetools inspect");
    }

    @ParameterizedTest
    @ValueSource(strings = {DockerfileTest.CPU, DockerfileTest.GPU})
    void runtimeImageRunsAsTheNumericNonRootFlinkUser(String dockerfile) {
        Stage runtime = DockerfileTest.last(DockerfileTest.stages(dockerfile));
        List<Instruction> users = runtime.all("USER");
        assertThat(users).as(dockerfile + ": USER in the final stage").isNotEmpty();
        String user = users.get(users.size() - 1).args().trim();
        assertThat(user)
                .as("numeric (runAsNonRoot can only verify numbers), not root")
                .matches("[1-9]\\d*(:[1-9]\\d*)?");
        // Nothing after the last USER switches back to root.
        List<Instruction> all = runtime.instructions();
        assertThat(all.subList(all.indexOf(users.get(users.size() - 1)), all.size()))
                .noneMatch(i -> i.keyword().equals("RUN"));
        assertThat(user).isEqualTo(FLINK_UID + ":" + FLINK_UID);
    }

    private static void assertDigest(String what, String value) {
        assertThat(value).as(what + " is a sha256 digest").matches(DIGEST);
        assertThat(value.substring(7).chars().distinct().count())
                .as(what + " looks like a placeholder, not a real digest")
                .isGreaterThan(4);
    }
}
