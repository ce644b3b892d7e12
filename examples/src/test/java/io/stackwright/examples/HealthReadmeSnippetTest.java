package io.stackwright.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The health snippet in README.md is the code in HealthQuickstart.java, which the build compiles.
 */
class HealthReadmeSnippetTest {

  @Test
  void theReadmeHealthSnippetIsTheCompiledCode() throws IOException {
    List<String> source =
        Files.readAllLines(Path.of("src/main/java/io/stackwright/examples/HealthQuickstart.java"));
    int begin = source.indexOf("    // health-begin");
    int end = source.indexOf("    // health-end");
    assertThat(begin).as("health snippet markers").isNotNegative().isLessThan(end);
    String snippet =
        source.subList(begin + 1, end).stream()
            .map(line -> line.startsWith("    ") ? line.substring(4) : line)
            .collect(Collectors.joining("\n"));

    assertThat(Files.readString(Path.of("..", "README.md"))).contains(snippet);
  }
}
