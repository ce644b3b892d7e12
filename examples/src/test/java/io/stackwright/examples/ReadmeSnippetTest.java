package io.stackwright.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The quickstart in README.md is the code in Quickstart.java, which the build compiles. */
class ReadmeSnippetTest {

  @Test
  void theReadmeQuickstartIsTheCompiledCode() throws IOException {
    List<String> source =
        Files.readAllLines(Path.of("src/main/java/io/stackwright/examples/Quickstart.java"));
    int begin = source.indexOf("  // quickstart-begin");
    int end = source.indexOf("  // quickstart-end");
    assertThat(begin).as("quickstart markers").isNotNegative().isLessThan(end);
    String snippet =
        source.subList(begin + 1, end).stream()
            .map(line -> line.startsWith("  ") ? line.substring(2) : line)
            .collect(Collectors.joining("\n"));

    String readme = Files.readString(Path.of("..", "README.md"));

    assertThat(readme).contains(snippet);
  }
}
