package io.stackwright.micrometer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** adapter-micrometer: the API, Micrometer's core, SLF4J and the JDK only; never core. */
class MicrometerBoundariesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.micrometer");

  @Test
  void dependsOnTheApiMicrometerCoreAndTheJdkOnly() {
    classes()
        .that()
        .resideInAPackage("io.stackwright.micrometer..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.stackwright.micrometer..",
            "io.stackwright.api..",
            "io.micrometer.core.instrument..",
            "org.slf4j..",
            "java..")
        .check(CLASSES);
  }

  @Test
  void neverReachesThePrometheusRegistryOrCore() {
    noClasses()
        .that()
        .resideInAPackage("io.stackwright.micrometer..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.micrometer.prometheusmetrics..", "io.prometheus..", "io.stackwright.core..")
        .check(CLASSES);
  }

  @Test
  void neverPrintsToTheConsole() {
    noClasses()
        .that()
        .resideInAPackage("io.stackwright.micrometer..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
  }
}
