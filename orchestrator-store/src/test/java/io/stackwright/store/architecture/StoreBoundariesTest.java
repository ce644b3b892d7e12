package io.stackwright.store.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * orchestrator-store's rules (docs/store.md): the API, JDBC, Flyway, HikariCP and SLF4J only (no
 * core, no adapter, no driver class: drivers are found by JDBC); only {@code Stores} is public
 * outside {@code .internal}.
 */
class StoreBoundariesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.store");

  @Test
  void dependsOnTheApiJdbcFlywayHikariAndSlf4jOnly() {
    classes()
        .that()
        .resideInAPackage("io.stackwright.store..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.stackwright.store..",
            "io.stackwright.api..",
            "io.stackwright.localstate..",
            "org.flywaydb.core..",
            "com.zaxxer.hikari..",
            "org.slf4j..",
            "javax.sql..",
            "java..")
        .check(CLASSES);
  }

  @Test
  void exposesOnlyTheFactoryOutsideInternal() {
    classes()
        .that()
        .resideInAPackage("io.stackwright.store")
        .and()
        .arePublic()
        .should()
        .haveSimpleName("Stores")
        .check(CLASSES);
  }

  @Test
  void neverPrintsToTheConsole() {
    noClasses()
        .that()
        .resideInAPackage("io.stackwright.store..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
  }
}
