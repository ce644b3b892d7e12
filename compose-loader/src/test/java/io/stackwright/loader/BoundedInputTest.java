package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.SpecProblem;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken inputs against the load's bounds ({@link LoadLimits}): each is refused as a
 * located problem that names the limit, with the memory the load allocated and the time it took
 * measured and printed, and bounded (generously: 256 MB and 10 s, where the unbounded loader ran
 * out of 5 GB of memory or past 90 s).
 */
class BoundedInputTest {
  private static final long MB = 1L << 20;
  private static final long MAX_ALLOCATED = 256 * MB;
  private static final Duration MAX_TIME = Duration.ofSeconds(10);

  @TempDir Path dir;

  /** What a load came to, and what it cost. */
  record Measured(List<SpecProblem> problems, long allocated, Duration elapsed) {
    String only() {
      assertThat(problems).as("problems").hasSize(1);
      SpecProblem p = problems.get(0);
      String file = p.file() == null ? "-" : Path.of(p.file()).getFileName().toString();
      return file + ":" + p.line() + ":" + p.column() + ": " + p.path() + ": " + p.message();
    }
  }

  private static Measured measure(String input, Supplier<ComposeLoader> loader) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.gc();
    long before = threads.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    List<SpecProblem> problems;
    try {
      loader.get().load();
      problems = List.of();
    } catch (InvalidSpecException e) {
      problems = e.problems();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    System.out.printf(
        "bounded input %-48s %8.1f MB allocated %8d ms %s%n",
        input,
        allocated / (double) MB,
        elapsed.toMillis(),
        problems.isEmpty() ? "loaded" : problems.get(0).message());
    return new Measured(problems, allocated, elapsed);
  }

  private Measured refused(String input, Supplier<ComposeLoader> loader) {
    Measured m = measure(input, loader);
    assertThat(m.problems()).as("problems of " + input).isNotEmpty();
    assertThat(m.allocated()).as("bytes allocated by " + input).isLessThan(MAX_ALLOCATED);
    assertThat(m.elapsed()).as("time taken by " + input).isLessThan(MAX_TIME);
    return m;
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private ComposeLoader.Builder loader(Path file) {
    return ComposeLoader.builder().file(file).projectName("p").environment(Map.of()).noDotEnv();
  }

  private static String repeat(char c, long n) {
    return String.valueOf(c).repeat((int) n);
  }

  @Test
  @DisplayName("-f /dev/zero, env_file: /dev/zero and a secret file /dev/zero are not read")
  void devices() throws IOException {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
    assertThat(refused("-f /dev/zero", () -> loader(Path.of("/dev/zero")).build()).only())
        .isEqualTo(
            "zero:0:0: : file cannot be read: it is not a regular file (a device, FIFO or socket)");
    Path compose =
        write(
            "compose.yml",
            "services:\n  web:\n    image: busybox\n    env_file: /dev/zero\n"
                + "    secrets: [s]\nsecrets:\n  s:\n    file: /dev/zero\n");
    assertThat(
            refused("env_file and secret file /dev/zero", () -> loader(compose).build()).problems())
        .extracting(SpecProblem::message)
        .containsExactly(
            "env file /dev/zero cannot be read: it is not a regular file (a device, FIFO or socket)",
            "secret file /dev/zero cannot be read: it is not a regular file (a device, FIFO or socket)");
  }

  @Test
  @DisplayName("a FIFO nobody writes to is refused at once instead of hanging the load")
  void fifo() throws Exception {
    Path fifo = dir.resolve("pipe.env");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
    Path compose =
        write("compose.yml", "services:\n  web:\n    image: busybox\n    env_file: pipe.env\n");
    assertThat(refused("env_file: a FIFO", () -> loader(compose).build()).only())
        .isEqualTo(
            "compose.yml:4:15: services.web.env_file: env file "
                + fifo
                + " cannot be read: it is not a regular file (a device, FIFO or socket)");
    assertThat(refused("-f a FIFO", () -> loader(fifo).build()).only())
        .endsWith("file cannot be read: it is not a regular file (a device, FIFO or socket)");
  }

  @Test
  @DisplayName("env_file: /proc/self/environ does not hand the process's environment to a service")
  void procFiles() throws IOException {
    Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/environ")), "no /proc here");
    Path compose =
        write(
            "compose.yml",
            "services:\n  web:\n    image: busybox\n    env_file: /proc/self/environ\n");
    assertThat(refused("env_file: /proc/self/environ", () -> loader(compose).build()).only())
        .startsWith("compose.yml:4:15: services.web.env_file: env file /proc/self/environ")
        .endsWith("is a kernel pseudo-file, not a regular file");
  }

  @Test
  @DisplayName("a file past the size limit is refused from its size, without reading it")
  void fileSize() throws IOException {
    Path sparse = dir.resolve("huge.yml");
    try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
      file.setLength(50 * MB); // sparse: nothing to read, only its size
    }
    assertThat(refused("-f a 50 MB file", () -> loader(sparse).build()).only())
        .isEqualTo(
            "huge.yml:0:0: : file is 52428800 bytes, more than the limit of 8388608 bytes for a file"
                + " (LoadLimits.maxFileBytes; raise it with ComposeLoader.Builder.limits)");
    Path secret = dir.resolve("big.secret");
    Files.copy(sparse, secret);
    Path compose =
        write(
            "compose.yml",
            "services:\n  web: {image: busybox, secrets: [s]}\nsecrets:\n  s: {file: big.secret}\n");
    assertThat(refused("a 50 MB secret file", () -> loader(compose).build()).only())
        .isEqualTo(
            "compose.yml:4:13: secrets.s.file: secret file "
                + secret
                + " is 52428800 bytes, more than the limit of 8388608 bytes for a file"
                + " (LoadLimits.maxFileBytes; raise it with ComposeLoader.Builder.limits)");
  }

  @Test
  @DisplayName(
      "a 50 MB scalar loads, with the limits raised, in time and memory linear in its size")
  void largeScalarIsLinear() throws IOException {
    LoadLimits raised = LoadLimits.builder().maxFileBytes(64 * MB).maxModelChars(64 * MB).build();
    Path small =
        write(
            "small.yml",
            "services:\n  web:\n    image: busybox\n    labels:\n      big: "
                + repeat('x', 5 * MB)
                + "\n");
    Path large =
        write(
            "large.yml",
            "services:\n  web:\n    image: busybox\n    labels:\n      big: "
                + repeat('x', 50 * MB)
                + "\n");
    Measured five =
        measure("a 5 MB scalar, limits raised", () -> loader(small).limits(raised).build());
    Measured fifty =
        measure("a 50 MB scalar, limits raised", () -> loader(large).limits(raised).build());
    assertThat(five.problems()).isEmpty();
    assertThat(fifty.problems()).isEmpty();
    // SnakeYAML's own reader copied its window per 1,024 characters: 100 times the allocation
    // (and the time) for 10 times the size. Linear is 10 times; allow for fixed costs.
    double ratio = fifty.allocated() / (double) five.allocated();
    System.out.printf("bounded input: 50 MB / 5 MB allocation ratio %.1f%n", ratio);
    assertThat(ratio).isLessThan(20);
    assertThat(fifty.elapsed()).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  @DisplayName("a 0.8 MB scalar aliased 500,000 times stops at the model size limit")
  void quadraticAliases() throws IOException {
    StringBuilder yaml =
        new StringBuilder("x-big: &big ").append(repeat('x', 800_000)).append("\nx-many: [");
    for (int i = 0; i < 500_000; i++) {
      yaml.append(i == 0 ? "*big" : ",*big");
    }
    yaml.append("]\nservices:\n  web: {image: busybox}\n");
    Path compose = write("compose.yml", yaml.toString());
    assertThat(
            refused("a 0.8 MB scalar aliased 500,000 times", () -> loader(compose).build()).only())
        .startsWith("compose.yml:2:")
        .contains(
            "x-many[40]: the model grows past 33554432 characters, aliases expanded"
                + " (LoadLimits.maxModelChars; raise it with ComposeLoader.Builder.limits)");
  }

  @Test
  @DisplayName("a billion laughs stops at the node limit")
  void billionLaughs() throws IOException {
    StringBuilder yaml = new StringBuilder("x-a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append("x-a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    Path compose = write("compose.yml", yaml.toString());
    assertThat(refused("a billion laughs", () -> loader(compose).build()).only())
        .contains(
            "the document has more than 250000 nodes, aliases expanded (LoadLimits.maxNodes;");
  }

  @Test
  @DisplayName("more aliases than the limit, however small")
  void manyAliases() throws IOException {
    StringBuilder yaml = new StringBuilder("x-a: &a x\nx-b: [");
    for (int i = 0; i < 2_000; i++) {
      yaml.append(i == 0 ? "*a" : ",*a");
    }
    yaml.append("]\n");
    Path compose = write("compose.yml", yaml.toString());
    assertThat(refused("2,000 aliases", () -> loader(compose).build()).only())
        .isEqualTo(
            "compose.yml:2:3007: x-b[1000]: the files have more than 1000 aliases"
                + " (LoadLimits.maxAliases; raise it with ComposeLoader.Builder.limits)");
  }

  @Test
  @DisplayName("collections nested 10,000 deep stop at the nesting limit")
  void deepNesting() throws IOException {
    Path flow = write("flow.yml", "x-deep: " + repeat('[', 10_000) + repeat(']', 10_000) + "\n");
    assertThat(refused("a list nested 10,000 deep", () -> loader(flow).build()).only())
        .startsWith("flow.yml:1:72: x-deep")
        .endsWith(
            ": the document nests deeper than 64 levels"
                + " (LoadLimits.maxNestingDepth; raise it with ComposeLoader.Builder.limits)");
    StringBuilder block = new StringBuilder("x-deep:\n");
    for (int i = 1; i < 2_000; i++) {
      block.append(" ".repeat(i)).append("a:\n");
    }
    Path blocks = write("block.yml", block.toString());
    assertThat(refused("mappings nested 2,000 deep", () -> loader(blocks).build()).only())
        .contains("the document nests deeper than 64 levels");
  }

  @Test
  @DisplayName("${V:-${V:-...}} nested 10,000 deep is a problem, not a StackOverflowError")
  void deepSubstitution() throws IOException {
    String template = "${V:-".repeat(10_000) + "x" + "}".repeat(10_000);
    Path compose =
        write(
            "compose.yml",
            "services:\n  web:\n    image: busybox\n    labels:\n      deep: \""
                + template
                + "\"\n");
    assertThat(refused("${V:-...} nested 10,000 deep", () -> loader(compose).build()).only())
        .isEqualTo(
            "compose.yml:5:13: services.web.labels.deep: variable substitutions nest deeper than 64"
                + " levels (LoadLimits.maxNestingDepth; raise it with ComposeLoader.Builder.limits)");
  }

  @Test
  @DisplayName("a 20 MB .env value referenced 500 times stops at the model size limit")
  void largeValueReferencedOften() throws IOException {
    String big = repeat('v', 20 * MB);
    write(".env", "BIG=" + big + "\n");
    StringBuilder yaml = new StringBuilder("services:\n  web:\n    image: busybox\n    labels:\n");
    for (int i = 0; i < 500; i++) {
      yaml.append("      l").append(i).append(": ${BIG}\n");
    }
    Path compose = write("compose.yml", yaml.toString());
    LoadLimits envFileFits = LoadLimits.builder().maxFileBytes(32 * MB).build();
    assertThat(
            refused(
                    "a 20 MB .env value referenced 500 times",
                    () ->
                        ComposeLoader.builder()
                            .file(compose)
                            .projectName("p")
                            .environment(Map.of())
                            .limits(envFileFits)
                            .build())
                .only())
        .isEqualTo(
            "compose.yml:6:11: services.web.labels.l1: the model grows past 33554432 characters"
                + " with variables substituted (LoadLimits.maxModelChars; raise it with"
                + " ComposeLoader.Builder.limits)");
    assertThat(
            refused(
                    "a 20 MB environment value referenced 500 times",
                    () ->
                        ComposeLoader.builder()
                            .file(compose)
                            .projectName("p")
                            .environment(Map.of("BIG", big))
                            .noDotEnv()
                            .build())
                .only())
        .contains("services.web.labels.l1: the model grows past 33554432 characters");
  }

  @Test
  @DisplayName("an include fan-out (each level including the next twice, 24 levels) stops")
  void includeFanOut() throws IOException {
    for (int level = 0; level < 24; level++) {
      write(
          "level" + level + ".yml",
          "include:\n  - level"
              + (level + 1)
              + ".yml\n  - level"
              + (level + 1)
              + ".yml\nx-level"
              + level
              + ": "
              + level
              + "\n");
    }
    write("level24.yml", "services:\n  web: {image: busybox}\n");
    Path top = dir.resolve("level0.yml");
    assertThat(refused("an include fan-out, 24 levels", () -> loader(top).build()).problems())
        .extracting(SpecProblem::message)
        .contains(
            "includes nest deeper than 16 files"
                + " (LoadLimits.maxIncludeDepth; raise it with ComposeLoader.Builder.limits)");
    LoadLimits deep = LoadLimits.builder().maxIncludeDepth(30).build();
    assertThat(
            refused("an include fan-out, depth raised", () -> loader(top).limits(deep).build())
                .problems())
        .extracting(SpecProblem::message)
        .containsExactly(
            "the project includes or extends from more than 256 files"
                + " (LoadLimits.maxIncludes; raise it with ComposeLoader.Builder.limits)");
  }

  @Test
  @DisplayName("an extends chain 10,000 services long stops at the depth limit")
  void extendsChain() throws IOException {
    StringBuilder yaml = new StringBuilder("services:\n");
    for (int i = 0; i < 900; i++) {
      yaml.append("  s").append(i).append(": {extends: s").append(i + 1).append("}\n");
    }
    yaml.append("  s900: {image: busybox}\n");
    Path compose = write("compose.yml", yaml.toString());
    assertThat(refused("an extends chain of 900 services", () -> loader(compose).build()).only())
        .contains(
            "extends chains go deeper than 16 services"
                + " (LoadLimits.maxIncludeDepth; raise it with ComposeLoader.Builder.limits)");
  }

  @Test
  @DisplayName("more services than the limit")
  void manyServices() throws IOException {
    StringBuilder yaml = new StringBuilder("services:\n");
    for (int i = 0; i < 1_500; i++) {
      yaml.append("  s").append(i).append(": {image: busybox}\n");
    }
    Path compose = write("compose.yml", yaml.toString());
    assertThat(refused("1,500 services", () -> loader(compose).build()).only())
        .isEqualTo(
            "compose.yml:1:1: services: the project has 1500 services, more than the limit of 1000"
                + " (LoadLimits.maxServices; raise it with ComposeLoader.Builder.limits)");
  }

  @Test
  @DisplayName("a file that cannot be read within the deadline")
  void readDeadline() throws IOException {
    Path compose = write("compose.yml", "services:\n  web: {image: busybox}\n");
    LoadLimits instant = LoadLimits.builder().readTimeout(Duration.ofNanos(1)).build();
    assertThat(
            refused("a read past its deadline", () -> loader(compose).limits(instant).build())
                .only())
        .isEqualTo(
            "compose.yml:0:0: : file cannot be read within 0 ms"
                + " (LoadLimits.readTimeout; raise it with ComposeLoader.Builder.limits)");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  @DisplayName("limits must be positive, and the nesting depth fit a thread's stack")
  void invalidLimits() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> LoadLimits.builder().maxFileBytes(0).build())
        .hasMessage("maxFileBytes must be positive, was 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> LoadLimits.builder().maxNestingDepth(5_000).build())
        .hasMessage("maxNestingDepth must be at most 1000, was 5000");
  }
}
