package dev.bertstream.app.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.apache.flink.annotation.Internal;

import java.util.Optional;
import java.util.regex.Pattern;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module boundaries of the build, checked on the production classes of every module (the app's
 * test classpath sees them all): a module uses another only through what that one does not mark
 * {@code @Internal}, the job stays free of the application and the model tools, and packages have
 * no cycles.
 */
@AnalyzeClasses(
        packages = "dev.bertstream",
        importOptions = ApiBoundariesTest.ProductionClassesOnly.class)
class ApiBoundariesTest {

    /**
     * Each module's package roots; {@code dev.bertstream.events} is serde's generated Avro code.
     */
    enum Module {
        SERDE("dev.bertstream.serde", "dev.bertstream.events"),
        MODELS_RUNTIME(
                "dev.bertstream.models.weights",
                "dev.bertstream.models.graph",
                "dev.bertstream.models.tokenizer",
                "dev.bertstream.models.bundle",
                "dev.bertstream.models.inference"),
        MODELS_TOOLS(
                "dev.bertstream.models.imports",
                "dev.bertstream.models.training",
                "dev.bertstream.models.cli"),
        JOB("dev.bertstream.jobs"),
        APP("dev.bertstream.app");

        private final String[] roots;

        Module(String... roots) {
            this.roots = roots;
        }

        static Optional<Module> of(JavaClass c) {
            String pkg = c.getPackageName();
            for (Module m : values()) {
                for (String root : m.roots) {
                    if (pkg.equals(root) || pkg.startsWith(root + ".")) {
                        return Optional.of(m);
                    }
                }
            }
            return Optional.empty();
        }
    }

    @ArchTest
    static final ArchRule noModuleUsesAnotherModulesInternalClasses =
            classes()
                    .should(useOnlyOwnInternalClasses())
                    .because(
                            "@Internal classes may change without notice; other modules go through"
                                    + " the @PublicEvolving API");

    @ArchTest
    static final ArchRule jobDoesNotDependOnTheApplication =
            noClasses()
                    .that()
                    .resideInAPackage("dev.bertstream.jobs..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("dev.bertstream.app..")
                    .because("the job jar runs on a cluster without the CLI, demo or benchmarks");

    @ArchTest
    static final ArchRule jobDoesNotDependOnModelTools =
            noClasses()
                    .that()
                    .resideInAPackage("dev.bertstream.jobs..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "dev.bertstream.models.imports..",
                            "dev.bertstream.models.training..",
                            "dev.bertstream.models.cli..")
                    .because("the job jar carries only the models runtime, not import or training");

    @ArchTest
    static final ArchRule modelsRuntimeDoesNotDependOnModelTools =
            noClasses()
                    .that()
                    .resideInAnyPackage(Module.MODELS_RUNTIME.roots)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "dev.bertstream.models.imports..",
                            "dev.bertstream.models.training..",
                            "dev.bertstream.models.cli..")
                    .because("models-tools builds on models-runtime, never the other way");

    @ArchTest
    static final ArchRule modelsPackagesAreFreeOfCycles =
            slices().matching("dev.bertstream.models.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule jobPackagesAreFreeOfCycles =
            slices().matching("dev.bertstream.jobs.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule appPackagesAreFreeOfCycles =
            slices().matching("dev.bertstream.app.(*)..").should().beFreeOfCycles();

    private static ArchCondition<JavaClass> useOnlyOwnInternalClasses() {
        return new ArchCondition<>("use no @Internal class of another module") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                Optional<Module> from = Module.of(origin);
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass();
                    Optional<Module> to = Module.of(target);
                    if (to.isPresent() && !to.equals(from) && isInternal(target)) {
                        events.add(
                                SimpleConditionEvent.violated(
                                        d,
                                        from.map(Enum::name).orElse("?")
                                                + " uses "
                                                + to.get()
                                                + "'s @Internal class: "
                                                + d.getDescription()));
                    }
                }
            }
        };
    }

    /** Annotated itself or nested in an annotated class. */
    private static boolean isInternal(JavaClass c) {
        for (Optional<JavaClass> k = Optional.of(c);
                k.isPresent();
                k = k.get().getEnclosingClass()) {
            if (k.get().isAnnotatedWith(Internal.class)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Main classes of every module, whether they come from a reactor {@code target/classes} folder
     * or a module jar; test classes and test jars (fixtures shared between modules) are left out.
     */
    static final class ProductionClassesOnly implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

        private final ImportOption tests = new DoNotIncludeTests();

        @Override
        public boolean includes(Location location) {
            return tests.includes(location) && !location.matches(TEST_JAR);
        }
    }
}
