package io.stackwright.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's rule for the test doubles: the API and the JDK only, so that core's own
 * tests, an adapter's and a host application's can all use them without a cycle or core on the
 * class path.
 */
class TestSupportBoundariesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.testing");

  @Test
  void dependsOnTheApiAndTheJdkOnly() {
    classes()
        .that()
        .resideInAPackage("io.stackwright.testing..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.stackwright.testing..", "io.stackwright.api..", "java..")
        .check(CLASSES);
  }
}
