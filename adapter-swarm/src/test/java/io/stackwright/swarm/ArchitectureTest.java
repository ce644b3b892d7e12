package io.stackwright.swarm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.stackwright.docker.internal.testing.DockerAdapterRules;
import org.junit.jupiter.api.Test;

/** Adapters depend on the API only; only the provider and the platform are public API. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.swarm");

  @Test
  void theAdapterDoesNotDependOnCore() {
    noClasses()
        .that()
        .resideInAPackage("io.stackwright.swarm..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.stackwright.core..")
        .check(CLASSES);
  }

  @Test
  void theAdapterUsesOnlyTheApiOfStackwright() {
    noClasses()
        .that()
        .resideInAPackage("io.stackwright.swarm..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.stackwright.compose..", "io.stackwright.traefik..")
        .check(CLASSES);
  }

  @Test
  void onlyTheProviderAndThePlatformLiveInThePublicPackage() {
    classes()
        .that()
        .resideInAPackage("io.stackwright.swarm")
        .and()
        .arePublic()
        .should()
        .haveSimpleNameStartingWith("SwarmPlatform")
        .check(CLASSES);
  }

  @Test
  void theInternalPackageDoesNotUseThePublicOne() {
    noClasses()
        .that()
        .resideInAPackage("io.stackwright.swarm.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.stackwright.swarm")
        .check(CLASSES);
  }

  @Test
  void dependsOnlyOnTheApiTheSharedDockerModuleDockerJavaSlf4jAndTheJdk() {
    DockerAdapterRules.dependOnlyOnTheApiAndDockerSupport("io.stackwright.swarm").check(CLASSES);
  }

  @Test
  void usesTheSharedEngineRatherThanItsOwnConnection() {
    DockerAdapterRules.useTheSharedEngine("io.stackwright.swarm").check(CLASSES);
  }
}
