package io.stackwright.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.stackwright.it.Shell;
import io.stackwright.it.Shell.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a person installs it: the .tar.gz unpacked anywhere, {@code bin/stackwright}
 * linked onto the PATH, Java found through JAVA_HOME or the PATH, and the class-data-sharing
 * archive used only where it matches (the JVM and the place it was made for).
 */
class DistributionIT {
  private static final String SHARED_APP_CLASS =
      "io.stackwright.cli.StackwrightCli source: shared objects file (top)";

  private static Path tarball() {
    Path dist = Shell.distribution();
    return dist.resolveSibling(dist.getFileName() + ".tar.gz");
  }

  private static String javaHome() {
    return System.getProperty("java.home");
  }

  @Test
  void theBuiltDistributionUsesItsArchiveOnTheJvmItWasMadeWith() throws IOException {
    Path dist = Shell.distribution();
    assertThat(archive(dist)).exists();
    assertThat(Files.readString(Path.of(archive(dist) + ".jvm")))
        .startsWith(System.getProperty("java.runtime.version") + " " + dist);

    Result help =
        Shell.run(
            List.of(dist.resolve("bin/stackwright").toString(), "status", "--help"),
            Map.of("JAVA_HOME", javaHome(), "STACKWRIGHT_OPTS", "-Xlog:class+load"));

    assertThat(help.exitCode()).as(help.all()).isZero();
    assertThat(help.out()).contains("Usage: stackwright status");
    Result loaded =
        Shell.run(
            List.of(
                dist.resolve("bin/stackwright").toString(),
                "config",
                "-f",
                Path.of("src/test/resources/stacks/three-services.yml")
                    .toAbsolutePath()
                    .toString()),
            Map.of("JAVA_HOME", javaHome(), "STACKWRIGHT_OPTS", "-Xlog:class+load"));
    assertThat(loaded.exitCode()).as(loaded.all()).isZero();
    assertThat(loaded.out()).contains(SHARED_APP_CLASS);
  }

  @Test
  void unpackedElsewhereAndLinkedOntoThePathItRunsAndTrainsAnArchiveForItsPlace(@TempDir Path dir)
      throws IOException {
    Result untar = Shell.run(List.of("tar", "-C", dir.toString(), "-xzf", tarball().toString()));
    assertThat(untar.exitCode()).as(untar.all()).isZero();
    Path home;
    try (Stream<Path> entries = Files.list(dir)) {
      home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    Path bin = Files.createDirectories(dir.resolve("path-bin"));
    Files.createSymbolicLink(bin.resolve("stackwright"), home.resolve("bin/stackwright"));

    // No JAVA_HOME: the java on the PATH (here the JVM running the tests).
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_HOME", null);
    env.put("PATH", bin + ":" + Path.of(javaHome(), "bin") + ":/usr/bin:/bin");
    env.put("STACKWRIGHT_OPTS", "-Xlog:class+load");
    Result first = Shell.run(List.of("sh", "-c", "stackwright config -f \"$0\"", compose()), env);
    assertThat(first.exitCode()).as(first.all()).isZero();
    assertThat(first.out())
        .as("the archive made for another place is not used")
        .doesNotContain(SHARED_APP_CLASS)
        .contains("services:");
    assertThat(first.err()).doesNotContain("cds");

    Awaitility.await("the background training run")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                Files.exists(Path.of(archive(home) + ".jvm"))
                    && Files.readString(Path.of(archive(home) + ".jvm")).contains(home.toString())
                    && !Files.exists(Path.of(archive(home) + ".training")));
    Result second = Shell.run(List.of("sh", "-c", "stackwright config -f \"$0\"", compose()), env);
    assertThat(second.exitCode()).as(second.all()).isZero();
    assertThat(second.out()).contains(SHARED_APP_CLASS);
  }

  @Test
  void anotherJvmRunsWithoutTheArchiveAndWithoutWarnings() throws IOException {
    Path other = otherJvm();
    assumeThat(other).as("a second JVM in /usr/lib/jvm").isNotNull();
    Result result =
        Shell.stackwright(
            Map.of("JAVA_HOME", other.toString(), "STACKWRIGHT_CDS_TRAIN", "off"),
            "config",
            "-f",
            compose());
    assertThat(result.exitCode()).as(result.all()).isZero();
    assertThat(result.err()).isEmpty();
  }

  @Test
  void theRunnableJarRunsOnItsOwn() {
    // every other CLI test runs bin/stackwright (Shell.cliCommand): the runnable jar is the other
    // way README.md gives
    List<String> command = Shell.java("-jar", Shell.cliJar().toString(), "config", "-f", compose());
    Result result = Shell.run(command);
    assertThat(result.exitCode()).as(result.all()).isZero();
    assertThat(result.out()).contains("services:");
  }

  @Test
  void withoutJavaItSaysWhatToInstallAndExits2() {
    Result result =
        Shell.run(
            List.of(Shell.distribution().resolve("bin/stackwright").toString(), "--help"),
            Map.of("JAVA_HOME", "/nonexistent", "PATH", "/nonexistent"));
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("no Java found").contains("JAVA_HOME");
  }

  /** The archive bin/stackwright uses for the JVM running the tests. */
  private static Path archive(Path home) {
    String version = System.getProperty("java.runtime.version").replaceAll("[^A-Za-z0-9._-]", "_");
    return home.resolve("lib/stackwright-" + version + ".jsa");
  }

  private static String compose() {
    return Path.of("src/test/resources/stacks/three-services.yml").toAbsolutePath().toString();
  }

  /** A JVM other than the one running the tests, with a different version string. */
  private static Path otherJvm() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    Path mine = Path.of(javaHome()).toRealPath();
    try (Stream<Path> entries = Files.list(jvms)) {
      return entries
          .filter(p -> Files.isExecutable(p.resolve("bin/java")))
          .filter(p -> Files.isRegularFile(p.resolve("release")))
          .filter(
              p -> {
                try {
                  return !p.toRealPath().equals(mine);
                } catch (IOException e) {
                  return false;
                }
              })
          .findFirst()
          .orElse(null);
    }
  }
}
