package io.stackwright.traefik.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** docs/architecture.md's rule for adapter-traefik: the API, Jackson and the JDK only. */
class TraefikBoundariesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.traefik");

  @Test
  void dependsOnTheApiJacksonAndTheJdkOnly() {
    classes()
        .that()
        .resideInAPackage("io.stackwright.traefik..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.stackwright.traefik..",
            "io.stackwright.api..",
            "com.fasterxml.jackson..",
            "com.sun.net.httpserver..",
            "java..")
        .check(CLASSES);
  }

  @Test
  void neverPrintsToTheConsole() {
    noClasses()
        .that()
        .resideInAPackage("io.stackwright.traefik..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
  }
}
