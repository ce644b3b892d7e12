package io.stackwright.docker.internal.usage;

import io.stackwright.api.spi.ResourceUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads a local container's CPU and memory counters straight from the kernel's cgroup files, for
 * adapters whose engine runs on this machine. Reading two small files costs microseconds, where the
 * engine's stats endpoint costs milliseconds per container (see {@code scripts/bench-metrics.sh}).
 * Knows cgroup v1 (separate {@code cpuacct} and {@code memory} hierarchies) and v2 (one unified
 * hierarchy), with Docker's {@code cgroupfs} ({@code docker/<id>}) and {@code systemd} ({@code
 * system.slice/docker-<id>.scope}) layouts. Memory is reported as {@code docker stats} does: usage
 * without the inactive page cache.
 */
public final class LocalCgroups {
  /** Above this, a v1 memory limit means "no limit" (the kernel reports a page-rounded 2^63). */
  private static final long NO_LIMIT = 1L << 62;

  private final Path root;
  private final int version;

  private LocalCgroups(Path root, int version) {
    this.root = root;
    this.version = version;
  }

  /** The cgroup hierarchy mounted at {@code /sys/fs/cgroup}. */
  public static LocalCgroups system() {
    return at(Path.of("/sys/fs/cgroup"));
  }

  /** The cgroup hierarchy mounted at {@code root}; version 0 when there is none. */
  public static LocalCgroups at(Path root) {
    int version;
    if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
      version = 2;
    } else if (Files.isDirectory(root.resolve("cpuacct"))
        || Files.isDirectory(root.resolve("cpu,cpuacct"))) {
      version = 1;
    } else {
      version = 0;
    }
    return new LocalCgroups(root, version);
  }

  /** 1 or 2, or 0 when no cgroup hierarchy was found. */
  public int version() {
    return version;
  }

  /** The container's counters, or empty when its cgroup is not on this machine. */
  public Optional<ResourceUsage> read(String containerId, Instant now) {
    if (containerId == null || !containerId.matches("[0-9a-f]{64}")) {
      return Optional.empty();
    }
    try {
      return version == 2
          ? readV2(containerId, now)
          : version == 1 ? readV1(containerId, now) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      // The container stopped between finding and reading its files, or the files are not ours.
      return Optional.empty();
    }
  }

  private static List<String> layouts(String id) {
    return List.of("docker/" + id, "system.slice/docker-" + id + ".scope");
  }

  private Optional<ResourceUsage> readV1(String id, Instant now) throws IOException {
    for (String relative : layouts(id)) {
      Path cpu = root.resolve("cpuacct").resolve(relative);
      if (!Files.isDirectory(cpu)) {
        cpu = root.resolve("cpu,cpuacct").resolve(relative);
      }
      Path memory = root.resolve("memory").resolve(relative);
      if (Files.isDirectory(cpu) && Files.isDirectory(memory)) {
        long cpuNanos = number(cpu.resolve("cpuacct.usage"));
        long usage = number(memory.resolve("memory.usage_in_bytes"));
        long inactive = stat(memory.resolve("memory.stat"), "total_inactive_file");
        long limit = number(memory.resolve("memory.limit_in_bytes"));
        return Optional.of(
            new ResourceUsage(
                now, cpuNanos, Math.max(0, usage - inactive), limit >= NO_LIMIT ? 0 : limit));
      }
    }
    return Optional.empty();
  }

  private Optional<ResourceUsage> readV2(String id, Instant now) throws IOException {
    for (String relative : layouts(id)) {
      Path dir = root.resolve(relative);
      if (Files.isDirectory(dir)) {
        long cpuNanos = stat(dir.resolve("cpu.stat"), "usage_usec") * 1000;
        long usage = number(dir.resolve("memory.current"));
        long inactive = stat(dir.resolve("memory.stat"), "inactive_file");
        String max = Files.readString(dir.resolve("memory.max")).strip();
        long limit = max.equals("max") ? 0 : Long.parseLong(max);
        return Optional.of(new ResourceUsage(now, cpuNanos, Math.max(0, usage - inactive), limit));
      }
    }
    return Optional.empty();
  }

  private static long number(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).strip());
  }

  /** A {@code key value} line of a stat file, 0 when absent. */
  private static long stat(Path file, String key) throws IOException {
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith(key + " ")) {
        return Long.parseLong(line.substring(key.length() + 1).strip());
      }
    }
    return 0;
  }
}
