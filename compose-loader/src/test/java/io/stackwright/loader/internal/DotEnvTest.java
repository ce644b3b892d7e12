package io.stackwright.loader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.SpecProblem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotEnvTest {
  private final Diagnostics diagnostics = new Diagnostics();

  private Map<String, String> parse(String content, Map<String, String> outer, boolean outerFirst) {
    return DotEnv.parse(".env", content, false, outer::get, outerFirst, diagnostics);
  }

  @Test
  void syntax() {
    Map<String, String> values =
        parse(
            """
            # comment
            PLAIN=value
              SPACED =  padded value  # comment
            export EXPORTED=yes
            SINGLE='no $SUBSTITUTION \\n here'
            DOUBLE="tab\\there \\"quoted\\" \\$dollar"
            MULTI="first
            second"
            EMPTY=
            HASH=a#b
            INHERITED
            NOT_INHERITED
            """,
            Map.of("INHERITED", "from-outer"),
            true);
    assertThat(values)
        .containsExactly(
            Map.entry("PLAIN", "value"),
            Map.entry("SPACED", "padded value"),
            Map.entry("EXPORTED", "yes"),
            Map.entry("SINGLE", "no $SUBSTITUTION \\n here"),
            Map.entry("DOUBLE", "tab\there \"quoted\" $dollar"),
            Map.entry("MULTI", "first\nsecond"),
            Map.entry("EMPTY", ""),
            Map.entry("HASH", "a#b"),
            Map.entry("INHERITED", "from-outer"));
    assertThat(diagnostics.problems()).isEmpty();
  }

  @Test
  void substitutionsSeeTheOuterEnvironmentFirstForDotEnv() {
    String content = "WHERE=file\nIMAGE=app:${WHERE}\n";
    assertThat(parse(content, Map.of("WHERE", "shell"), true)).containsEntry("IMAGE", "app:shell");
  }

  @Test
  void substitutionsSeeTheFileFirstForEnvFiles() {
    String content = "WHERE=file\nIMAGE=app:${WHERE}\nOTHER=${ONLY_OUTER}\n";
    assertThat(parse(content, Map.of("WHERE", "shell", "ONLY_OUTER", "o"), false))
        .containsEntry("IMAGE", "app:file")
        .containsEntry("OTHER", "o");
  }

  @Test
  void anUnsetVariableIsAWarningAtItsLine() {
    assertThat(parse("A=1\nB=${NOPE}x\n", Map.of(), true)).containsEntry("B", "x");
    assertThat(diagnostics.warnings())
        .containsExactly(
            ".env:2:1: the \"NOPE\" variable is not set. Defaulting to a blank string.");
  }

  @Test
  void rawFormatKeepsValuesAsWritten() {
    assertThat(
            DotEnv.parse(
                "raw.env",
                "A='{\"k\": 1}' # not a comment\nB=$X\n",
                true,
                k -> null,
                false,
                diagnostics))
        .containsExactly(Map.entry("A", "'{\"k\": 1}' # not a comment"), Map.entry("B", "$X"));
  }

  @Test
  void problemsNameTheLine() {
    parse("GOOD=1\n1BAD=x\nOPEN='never closed\nREQ=${MISSING:?needed}\n", Map.of(), true);
    assertThat(diagnostics.problems())
        .containsExactly(
            new SpecProblem(".env", 2, 1, "", "invalid variable name '1BAD'"),
            new SpecProblem(".env", 3, 1, "OPEN", "unterminated single-quoted value"),
            new SpecProblem(
                ".env", 4, 1, "REQ", "required variable MISSING is missing a value: needed"));
  }
}
