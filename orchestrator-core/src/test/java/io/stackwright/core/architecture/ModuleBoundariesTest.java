package io.stackwright.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module rules of docs/architecture.md, kept true by the build. */
class ModuleBoundariesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright");

  @Test
  void theApiDependsOnNothingButTheJdk() {
    classes()
        .that()
        .resideInAPackage("io.stackwright.api..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.stackwright.api..", "java..")
        .check(CLASSES);
  }

  @Test
  void coreNeverDependsOnAnAdapterNorOnTheComposeLoader() {
    noClasses()
        .that()
        .resideInAPackage("io.stackwright.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.stackwright.swarm..",
            "io.stackwright.compose..",
            "io.stackwright.traefik..",
            "io.stackwright.loader..")
        .check(CLASSES);
  }

  @Test
  void libraryCodeLogsThroughSlf4jOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.stackwright.core..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
  }
}
