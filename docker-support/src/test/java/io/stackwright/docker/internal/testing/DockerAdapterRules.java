package io.stackwright.docker.internal.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/** The dependency rules every Docker adapter keeps, for its own ArchitectureTest. */
public final class DockerAdapterRules {
  private DockerAdapterRules() {}

  /**
   * The adapter under {@code basePackage} depends on the API, docker-support, docker-java (with its
   * Jackson), SLF4J and the JDK only: never on core, another adapter or anything else.
   */
  public static ArchRule dependOnlyOnTheApiAndDockerSupport(String basePackage) {
    return classes()
        .that()
        .resideInAPackage(basePackage + "..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            basePackage + "..",
            "io.stackwright.api..",
            "io.stackwright.docker.internal..",
            "io.stackwright.localstate..",
            "com.github.dockerjava..",
            "com.fasterxml.jackson..",
            "org.slf4j..",
            "java..")
        .because("adapters depend on the API, docker-support and local-state only");
  }

  /**
   * The adapter talks to the engine through the shared {@code Engine} only: one connection, one
   * error translation, one deadline per call.
   */
  public static ArchRule useTheSharedEngine(String basePackage) {
    return noClasses()
        .that()
        .resideInAPackage(basePackage + "..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("com.github.dockerjava.core.DockerClientImpl")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("com.github.dockerjava.httpclient5..")
        .because("the shared Engine owns the connection, its deadlines and its metrics");
  }
}
