package io.stackwright.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The examples in README.md are code the build compiles and runs (tests and the IT). */
class ReadmeSnippetTest {
  private static final Path SOURCES = Path.of("src/test/java/io/stackwright/junit");

  static String snippet(Path source, String marker) throws IOException {
    List<String> lines = Files.readAllLines(source);
    int from = lines.indexOf("  // README: " + marker + " begin");
    int to = lines.indexOf("  // README: " + marker + " end");
    assertThat(from).as(marker + " in " + source).isNotNegative().isLessThan(to);
    return lines.subList(from + 1, to).stream()
        .map(line -> line.startsWith("  ") ? line.substring(2) : line)
        .collect(Collectors.joining("\n"));
  }

  @Test
  void theReadmeExamplesAreTheCompiledCode() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Path it = SOURCES.resolve("StackwrightExtensionIT.java");
    Path example = SOURCES.resolve("ReadmeExampleTest.java");
    assertThat(readme)
        .contains(snippet(it, "compose"))
        .contains(snippet(it, "swarm"))
        .contains(snippet(example, "extension"))
        .contains(snippet(example, "orchestrator"));
  }
}
