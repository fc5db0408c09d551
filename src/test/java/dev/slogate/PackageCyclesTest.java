package dev.slogate;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rule of docs/internals/architecture.md, checked over the compiled main classes: each package under
 * {@code dev.slogate} (a sub-package such as {@code fault.kubernetes} counts as a package of its own) may use the
 * packages below it, never one that uses it back. Javadoc links leave no trace in class files; they are kept to
 * {@code {@code}} across packages instead.
 */
class PackageCyclesTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.slogate");
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.slogate.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void theModelAndTheClockUseNoOtherPackage() {
        // redact, timeline, yaml and promql sit below the model: the readers mask secrets in what they report, the plan
        // cuts its windows by the run's own rule, the files are read as located YAML and their PromQL is checked offline
        noClasses().that().resideInAPackage("dev.slogate.experiment").should().dependOnClassesThat(
                resideInAPackage("dev.slogate..").and(not(resideInAnyPackage("dev.slogate.experiment", "dev.slogate.redact",
                        "dev.slogate.timeline", "dev.slogate.yaml", "dev.slogate.promql"))))
                .check(main);
        noClasses().that().resideInAPackage("dev.slogate.timeline").should().dependOnClassesThat(
                resideInAPackage("dev.slogate..").and(not(resideInAPackage("dev.slogate.timeline"))))
                .check(main);
        noClasses().that().resideInAPackage("dev.slogate.redact").should().dependOnClassesThat(
                resideInAPackage("dev.slogate..").and(not(resideInAPackage("dev.slogate.redact"))))
                .check(main);
    }

    @Test
    void filePlumbingKnowsNothingOfTheModel() {
        // yaml reads any located YAML/JSON document and its typed values; promql checks PromQL offline and locates its
        // problems in those documents: neither knows what a scenario, a fault or an SLO is
        noClasses().that().resideInAPackage("dev.slogate.yaml").should().dependOnClassesThat(
                resideInAPackage("dev.slogate..").and(not(resideInAnyPackage("dev.slogate.yaml", "dev.slogate.redact"))))
                .check(main);
        noClasses().that().resideInAPackage("dev.slogate.promql").should().dependOnClassesThat(
                resideInAPackage("dev.slogate..").and(not(resideInAnyPackage("dev.slogate.promql", "dev.slogate.yaml"))))
                .check(main);
    }

    @Test
    void chaosMeshAndTheKubernetesApiBackEndShareOnlyTheClusterPackage() {
        // both plan and cap their targets through cluster.ClusterTargets; neither back end reaches into the other
        noClasses().that().resideInAPackage("dev.slogate.fault.chaosmesh").should().dependOnClassesThat(
                resideInAPackage("dev.slogate.fault.kubernetes")).check(main);
        noClasses().that().resideInAPackage("dev.slogate.fault.kubernetes").should().dependOnClassesThat(
                resideInAPackage("dev.slogate.fault.chaosmesh")).check(main);
        noClasses().that().resideInAPackage("dev.slogate.cluster").should().dependOnClassesThat(
                resideInAnyPackage("dev.slogate.fault.kubernetes", "dev.slogate.fault.chaosmesh", "dev.slogate.load..")).check(main);
    }
}
