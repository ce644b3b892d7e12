package io.stackwright.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The API is the contract of every platform, Docker or not: it depends on the JDK only, and no type
 * in it belongs to one engine (the Docker plumbing both Docker adapters share lives in the internal
 * module {@code docker-support}).
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.api");

  @Test
  void dependsOnTheJdkOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.stackwright.api..", "java..")
        .check(CLASSES);
  }

  @Test
  void hasNoDockerSpecificType() {
    noClasses()
        .should()
        .haveNameMatching(".*\\.[^.]*(Docker|Swarm|Cgroup|Compose)[^.]*")
        .because("engine-specific code belongs to docker-support or an adapter, not to the API")
        .check(CLASSES);
  }

  @Test
  void readsNoFilesOfItsOwn() {
    // LocalCgroups read /sys/fs/cgroup from here once; the API describes, adapters read.
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.nio.file.Files")
        .check(CLASSES);
  }
}
