package io.stackwright.junit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The extension is a host application of Stackwright: it uses the public API of core and the loader
 * (never an internal package, never an adapter: the platform is found by ServiceLoader).
 */
class JunitBoundariesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.junit");

  @Test
  void usesPublicApiOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.stackwright.junit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "..internal..",
            "io.stackwright.swarm..",
            "io.stackwright.compose..",
            "io.stackwright.traefik..")
        .check(CLASSES);
  }

  @Test
  void dependsOnStackwrightJunitSlf4jAndTheJdk() {
    classes()
        .that()
        .resideInAPackage("io.stackwright.junit..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.stackwright..", "org.junit..", "org.slf4j..", "java..")
        .check(CLASSES);
  }
}
