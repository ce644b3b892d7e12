package io.stackwright.compose;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.stackwright.docker.internal.testing.DockerAdapterRules;
import org.junit.jupiter.api.Test;

/** The adapter depends on the API only, and shows host applications two types. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.compose");

  @Test
  void dependsNeitherOnCoreNorOnTheSwarmAdapter() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.stackwright.core..", "io.stackwright.swarm..")
        .check(CLASSES);
  }

  @Test
  void logsThroughSlf4jOnly() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("java.util.logging..", "org.apache.logging..")
        .check(CLASSES);
  }

  @Test
  void onlyThePlatformAndItsProviderArePublicOutsideInternal() {
    classes()
        .that()
        .resideInAPackage("io.stackwright.compose")
        .and()
        .arePublic()
        .should()
        .haveSimpleNameStartingWith("ComposePlatform")
        .check(CLASSES);
  }

  @Test
  void dependsOnlyOnTheApiTheSharedDockerModuleDockerJavaSlf4jAndTheJdk() {
    DockerAdapterRules.dependOnlyOnTheApiAndDockerSupport("io.stackwright.compose").check(CLASSES);
  }

  @Test
  void usesTheSharedEngineRatherThanItsOwnConnection() {
    DockerAdapterRules.useTheSharedEngine("io.stackwright.compose").check(CLASSES);
  }
}
