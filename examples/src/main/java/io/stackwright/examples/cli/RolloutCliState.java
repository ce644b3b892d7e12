package io.stackwright.examples.cli;

import io.stackwright.api.OrchestratorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the CLI keeps between its runs for rollouts, in {@code $STACKWRIGHT_STATE_DIR} (default
 * {@code $TMPDIR/stackwright/cli}), one directory per stack: the Compose files of the last
 * deployment that succeeded (for {@code rollback}), and the operator's decision for a rollout that
 * another CLI process runs ({@code promote}/{@code abort} write it; the running {@code deploy}
 * picks it up within half a second).
 */
final class RolloutCliState {
  private final Path dir;

  RolloutCliState(String stack) {
    String root = System.getenv("STACKWRIGHT_STATE_DIR");
    Path base =
        root != null && !root.isBlank()
            ? Path.of(root)
            : Path.of(System.getProperty("java.io.tmpdir"), "stackwright", "cli");
    this.dir = base.resolve(stack);
  }

  /** Copies the files of a deployment that succeeded, remembering where they came from. */
  void saveHealthy(List<Path> files) {
    Path target = dir.resolve("last-healthy");
    try {
      deleteTree(target);
      Files.createDirectories(target);
      List<String> origins = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        Path source = files.get(i).toAbsolutePath().normalize();
        Files.copy(source, target.resolve(i + ".yml"), StandardCopyOption.REPLACE_EXISTING);
        origins.add(source.toString());
      }
      Files.write(target.resolve("origins.txt"), origins, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remember the deployed files in " + target, e);
    }
  }

  /** The saved files and the directory the first came from (relative paths resolve there). */
  record Healthy(List<Path> files, Path workingDir) {}

  Optional<Healthy> healthy() {
    Path saved = dir.resolve("last-healthy");
    Path origins = saved.resolve("origins.txt");
    if (!Files.exists(origins)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(origins, StandardCharsets.UTF_8);
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        files.add(saved.resolve(i + ".yml"));
      }
      return Optional.of(new Healthy(files, Path.of(lines.get(0)).getParent()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + origins, e);
    }
  }

  /** Marks a rollout of the stack as running in this process (removed by {@link #finished}). */
  void running() {
    write(dir.resolve("running"), Long.toString(ProcessHandle.current().pid()));
    try {
      Files.deleteIfExists(dir.resolve("decision"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void finished() {
    try {
      Files.deleteIfExists(dir.resolve("running"));
      Files.deleteIfExists(dir.resolve("decision"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Leaves {@code decision} (promote, abort) for the running rollout. */
  void decide(String decision) {
    Path running = dir.resolve("running");
    boolean alive =
        Files.exists(running)
            && ProcessHandle.of(Long.parseLong(read(running).strip()))
                .map(ProcessHandle::isAlive)
                .orElse(false);
    if (!alive) {
      throw new OrchestratorException(
          "no rollout of this stack is running (start one with deploy); nothing to " + decision);
    }
    write(dir.resolve("decision"), decision);
  }

  /** The decision left for this process, once. */
  Optional<String> takeDecision() {
    Path decision = dir.resolve("decision");
    if (!Files.exists(decision)) {
      return Optional.empty();
    }
    String text = read(decision).strip();
    try {
      Files.deleteIfExists(decision);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(text);
  }

  private void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Path temporary = Files.createTempFile(file.getParent(), ".tmp", "");
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
