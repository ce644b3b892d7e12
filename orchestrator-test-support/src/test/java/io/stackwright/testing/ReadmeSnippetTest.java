package io.stackwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The example in README.md is the code of ReadmeExampleTest, which the build compiles and runs. */
class ReadmeSnippetTest {

  static String snippet(Path source, String begin, String end) throws IOException {
    List<String> lines = Files.readAllLines(source);
    int from = lines.indexOf(begin);
    int to = lines.indexOf(end);
    assertThat(from).as(begin + " in " + source).isNotNegative().isLessThan(to);
    return lines.subList(from + 1, to).stream()
        .map(line -> line.startsWith("  ") ? line.substring(2) : line)
        .collect(Collectors.joining("\n"));
  }

  @Test
  void theReadmeExampleIsTheCompiledCode() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme)
        .contains(
            snippet(
                Path.of("src/test/java/io/stackwright/testing/ReadmeExampleTest.java"),
                "  // README: begin",
                "  // README: end"));
  }
}
