package io.stackwright.benchmarks;

import io.stackwright.api.StackSpec;
import io.stackwright.loader.ComposeLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Loads a generated 5-service and a generated 500-service Compose file on a warm JVM and prints the
 * median time of each and their ratio. Run it with {@code scripts/bench-loader.sh}; the target is
 * the large file in under 300 ms.
 *
 * <p>Each service has an image, a command, environment, labels, two ports, a named volume and a
 * bind mount, a healthcheck, depends_on, networks, a secret and a deploy section: the keys a real
 * stack uses, so that interpolation, merging, schema validation, the checks across services and the
 * conversion all do their share of the work.
 */
public final class LoaderBenchmark {
  private LoaderBenchmark() {}

  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path dir = Files.createTempDirectory("loader-bench");
    try {
      Path small = write(dir.resolve("small.yml"), compose(5));
      Path large = write(dir.resolve("large.yml"), compose(500));
      Files.writeString(dir.resolve("token.txt"), "not a real secret", StandardCharsets.UTF_8);
      Map<String, String> env = Map.of("TAG", "1.4", "REPLICAS", "2");

      // warm up: let the JIT compile the loader and the schema validator
      long warmUntil = System.nanoTime() + 15_000_000_000L;
      int warm = 0;
      while (System.nanoTime() < warmUntil && warm < 60) {
        load(small, env);
        load(large, env);
        warm++;
      }
      double smallMs = median(small, env, rounds * 10);
      double largeMs = median(large, env, rounds);
      System.out.printf(
          "loader benchmark (%d warm-up rounds; median of %d and %d loads)%n",
          warm, rounds * 10, rounds);
      System.out.printf("  %3d services: %8.2f ms%n", 5, smallMs);
      System.out.printf("  %3d services: %8.2f ms%n", 500, largeMs);
      System.out.printf("  ratio 500/5: %.1fx%n", largeMs / smallMs);
      System.out.printf(
          "  target (500 services < 300 ms): %s%n", largeMs < 300 ? "met" : "NOT met");
      reference(dir, small, large, smallMs, largeMs);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * The reference in the same run: Debian's docker-compose 1.29 validating and printing the same
   * files ({@code config -q}), median of 5. Its time includes starting Python (shown by the small
   * file); ours is measured on a warm JVM, as a host application embedding the loader runs it.
   */
  private static void reference(Path dir, Path small, Path large, double smallMs, double largeMs) {
    try {
      double refSmall = referenceMillis(dir, small);
      double refLarge = referenceMillis(dir, large);
      System.out.printf(
          "  docker-compose config -q: %3d services %8.2f ms, %3d services %8.2f ms%n",
          5, refSmall, 500, refLarge);
      System.out.printf(
          "  ratio stackwright/docker-compose: 5 services %.3fx, 500 services %.3fx%n",
          smallMs / refSmall, largeMs / refLarge);
    } catch (IOException e) {
      System.out.println(
          "  docker-compose not available, no reference measured: " + e.getMessage());
    }
  }

  private static double referenceMillis(Path dir, Path original) throws IOException {
    // docker-compose 1.29 predates the top-level name key: give it the same file without it.
    Path file = dir.resolve("reference-" + original.getFileName());
    Files.writeString(
        file,
        Files.readString(original).replaceFirst("(?m)^name:.*\\n", ""),
        StandardCharsets.UTF_8);
    double[] times = new double[5];
    for (int i = 0; i < times.length; i++) {
      ProcessBuilder command =
          new ProcessBuilder("docker-compose", "-p", "bench", "-f", file.toString(), "config", "-q")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("reference.log").toFile());
      command.environment().put("TAG", "1.4");
      command.environment().put("REPLICAS", "2");
      long start = System.nanoTime();
      try {
        int exit = command.start().waitFor();
        if (exit != 0) {
          throw new IOException(
              "docker-compose exited "
                  + exit
                  + ": "
                  + Files.readString(dir.resolve("reference.log")));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      times[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(times);
    return times[times.length / 2];
  }

  private static double median(Path file, Map<String, String> env, int rounds) {
    double[] times = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      load(file, env);
      times[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(times);
    return times[rounds / 2];
  }

  private static StackSpec load(Path file, Map<String, String> env) {
    StackSpec stack =
        ComposeLoader.builder().file(file).projectName("bench").environment(env).build().load();
    if (stack.services().isEmpty()) {
      throw new IllegalStateException("no services loaded");
    }
    return stack;
  }

  private static Path write(Path path, String content) throws IOException {
    return Files.writeString(path, content, StandardCharsets.UTF_8);
  }

  /** A Compose file with {@code n} services, each depending on the one before it. */
  static String compose(int n) {
    StringBuilder y = new StringBuilder("name: bench\nservices:\n");
    for (int i = 0; i < n; i++) {
      y.append("  svc").append(i).append(":\n");
      y.append("    image: registry.local/app").append(i % 7).append(":${TAG:-latest}\n");
      y.append("    command: [\"serve\", \"--port\", \"8080\", \"--id\", \"")
          .append(i)
          .append("\"]\n");
      y.append("    environment:\n");
      y.append("      - SERVICE_ID=").append(i).append("\n");
      y.append("      - LOG_LEVEL=${LOG_LEVEL:-info}\n");
      y.append("    labels:\n      com.example.team: team").append(i % 10).append("\n");
      y.append("      com.example.tier: backend\n");
      y.append("    ports:\n");
      y.append("      - \"").append(10000 + i).append(":8080\"\n");
      y.append("      - target: 9090\n        published: ").append(20000 + i);
      y.append("\n        protocol: tcp\n        mode: host\n");
      y.append("    volumes:\n      - data:/var/lib/app").append(i).append("\n");
      y.append("      - ./conf:/etc/app:ro\n");
      y.append("    healthcheck:\n      test: [\"CMD\", \"/bin/check\", \"--port\", \"8080\"]\n");
      y.append(
          "      interval: 10s\n      timeout: 2s\n      retries: 3\n      start_period: 5s\n");
      if (i > 0) {
        y.append("    depends_on:\n      svc").append(i - 1).append(":\n");
        y.append("        condition: service_started\n");
      }
      y.append("    networks: [front, back]\n");
      y.append("    secrets: [token]\n");
      y.append("    deploy:\n      replicas: ${REPLICAS:-1}\n");
      y.append("      resources:\n        limits: {cpus: '0.5', memory: 256m}\n");
      y.append("      update_config: {parallelism: 1, delay: 5s, order: start-first}\n");
      y.append("      restart_policy: {condition: on-failure, max_attempts: 3}\n");
    }
    y.append("networks:\n  front:\n  back:\n    internal: true\n");
    y.append("volumes:\n  data:\n");
    y.append("secrets:\n  token:\n    file: ./token.txt\n");
    y.append("x-stackwright:\n  owner: bench\n");
    return y.toString();
  }
}
