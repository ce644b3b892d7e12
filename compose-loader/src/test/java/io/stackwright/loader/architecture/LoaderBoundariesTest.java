package io.stackwright.loader.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The loader's place in docs/architecture.md: it turns files into the API's model and knows nothing
 * of the engine, so a host can load and validate without core or any adapter.
 */
class LoaderBoundariesTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.loader");

  @Test
  void theLoaderDependsOnTheApiAndItsParsersOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.stackwright.loader..",
            "io.stackwright.api..",
            "com.fasterxml.jackson..",
            "org.yaml.snakeyaml..",
            "com.networknt.schema..",
            "org.slf4j..",
            "java..")
        .check(CLASSES);
  }

  @Test
  void theLoaderLogsThroughSlf4jOnly() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
  }
}
