package io.stackwright.docker.internal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The shared Docker plumbing depends on the API, docker-java (with the Jackson it is written for),
 * SLF4J and the JDK only: never on core, never on an adapter, and everything in it is internal.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.docker");

  @Test
  void dependsOnlyOnTheApiDockerJavaSlf4jAndTheJdk() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.stackwright.docker.internal..",
            "io.stackwright.api..",
            "io.stackwright.localstate..",
            "com.github.dockerjava..",
            "com.fasterxml.jackson..",
            "org.slf4j..",
            "java..",
            "javax.crypto..",
            "javax.net.ssl..")
        .check(CLASSES);
  }

  @Test
  void dependsNeitherOnCoreNorOnAnAdapter() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.stackwright.core..",
            "io.stackwright.swarm..",
            "io.stackwright.compose..",
            "io.stackwright.traefik..")
        .check(CLASSES);
  }

  @Test
  void everythingIsInternal() {
    classes().should().resideInAPackage("io.stackwright.docker.internal..").check(CLASSES);
  }

  @Test
  void logsThroughSlf4jOnly() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(CLASSES);
  }
}
