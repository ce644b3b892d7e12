package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.loader.internal.ProjectLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Compose project in a temporary directory, loaded with a given environment (never the
 * process's), so tests are hermetic. Also reaches the warnings, which the public API only logs.
 */
final class TestProject {
  private final Path dir;
  private final List<Path> files = new ArrayList<>();
  private final Map<String, String> environment = new HashMap<>();
  private final Set<String> profiles = new LinkedHashSet<>();
  private String projectName = "test";
  private Path workingDir;

  private TestProject(Path dir) {
    this.dir = dir;
  }

  static TestProject in(Path dir) {
    return new TestProject(dir);
  }

  /**
   * A fixture: Stackwright's own files from src/test/resources/compose, or an upstream fixture read
   * in place from {@code shared/peer-data/compose-fixtures} (upstream files are never copied into
   * this repository), named by its folder there without the upstream test-data prefixes.
   */
  static Path resource(String name) {
    for (String candidate : upstreamCandidates(name)) {
      Path path = PeerData.composeFixtures().resolve(candidate);
      if (java.nio.file.Files.exists(path)) {
        return path;
      }
    }
    try {
      var url = TestProject.class.getResource("/compose/" + name);
      if (url == null) {
        throw new IllegalArgumentException("no fixture compose/" + name);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> upstreamCandidates(String name) {
    if (name.startsWith("compose-go/loader/")) {
      String file = name.substring("compose-go/loader/".length());
      return List.of("compose-go/loader/testdata/" + file, name);
    }
    if (name.startsWith("compose-go/")) {
      return List.of("compose-go/cli/testdata/" + name.substring("compose-go/".length()));
    }
    if (name.equals("docker-cli") || name.startsWith("docker-cli/")) {
      return List.of(
          ("docker-cli/cli/compose/loader/" + name.substring("docker-cli".length()))
              .replace("loader//", "loader/"));
    }
    if (name.startsWith("docker-compose/")) {
      return List.of(
          "docker-compose/pkg/e2e/testdata/" + name.substring("docker-compose/".length()));
    }
    return List.of();
  }

  Path dir() {
    return dir;
  }

  /** Writes a Compose file and adds it to the files to load. */
  TestProject file(String name, String yaml) {
    files.add(write(name, yaml));
    return this;
  }

  /** Adds an existing file to the files to load. */
  TestProject file(Path path) {
    files.add(path);
    return this;
  }

  /** Writes a file that is not a Compose file (.env, env_file, secret...). */
  Path write(String name, String content) {
    try {
      Path path = dir.resolve(name);
      Files.createDirectories(path.getParent());
      Files.writeString(path, content, StandardCharsets.UTF_8);
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestProject env(String key, String value) {
    environment.put(key, value);
    return this;
  }

  TestProject projectName(String name) {
    this.projectName = name;
    return this;
  }

  TestProject workingDir(Path workingDir) {
    this.workingDir = workingDir;
    return this;
  }

  TestProject profiles(String... active) {
    profiles.addAll(List.of(active));
    return this;
  }

  ProjectLoader.Result result() {
    return ProjectLoader.load(
        new ProjectLoader.Options(
            files, projectName, environment, workingDir, null, true, profiles));
  }

  StackSpec load() {
    ProjectLoader.Result result = result();
    if (result.stack() == null) {
      fail("expected the project to load, but: " + result.problems());
    }
    return result.stack();
  }

  /** The only service of a one-service project. */
  ServiceSpec service() {
    StackSpec stack = load();
    assertThat(stack.services()).hasSize(1);
    return stack.services().values().iterator().next();
  }

  List<SpecProblem> problems() {
    ProjectLoader.Result result = result();
    assertThat(result.stack()).as("the stack of an invalid project").isNull();
    return result.problems();
  }

  /** The only problem, as {@code file-name:line:column: path: message}. */
  String problem() {
    List<SpecProblem> problems = problems();
    assertThat(problems).hasSize(1);
    return describe(problems.get(0));
  }

  /** A problem with only the file's name (not its temporary directory). */
  static String describe(SpecProblem p) {
    String file = p.file() == null ? "-" : Path.of(p.file()).getFileName().toString();
    return file + ":" + p.line() + ":" + p.column() + ": " + p.path() + ": " + p.message();
  }

  List<String> describedProblems() {
    return problems().stream().map(TestProject::describe).toList();
  }

  List<String> warnings() {
    return result().warnings();
  }
}
