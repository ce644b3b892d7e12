package io.stackwright.loader.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every substitution form of the Compose specification. */
class InterpolatorTest {
  private final Map<String, String> env = Map.of("SET", "value", "EMPTY", "", "NESTED", "inner");
  private final List<String> unset = new ArrayList<>();
  private final Interpolator interpolator = new Interpolator(env::get, unset::add);

  @ParameterizedTest(name = "{0} -> [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain text               | plain text",
        "$SET                     | value",
        "${SET}                   | value",
        "a${SET}b$SET.c           | avalueb" + "value.c",
        "${SET:-default}          | value",
        "${EMPTY:-default}        | default",
        "${UNSET:-default}        | default",
        "${SET-default}           | value",
        "${EMPTY-default}         | ''",
        "${UNSET-default}         | default",
        "${SET:?error}            | value",
        "${EMPTY?error}           | ''",
        "${SET:+alternative}      | alternative",
        "${EMPTY:+alternative}    | ''",
        "${UNSET:+alternative}    | ''",
        "${SET+alternative}       | alternative",
        "${EMPTY+alternative}     | alternative",
        "${UNSET+alternative}     | ''",
        "$$SET                    | $SET",
        "$${SET}                  | ${SET}",
        "cost: $$5                | cost: $5",
        "${UNSET:-${NESTED}}      | inner",
        "${UNSET:-${ALSO_UNSET:-deep}} | deep",
        "${UNSET:-a}}             | a}",
        "${UNSET:-}               | ''",
      })
  void substitutes(String template, String expected) {
    assertThat(interpolate(template)).isEqualTo(expected);
    assertThat(unset).isEmpty();
  }

  @Test
  @DisplayName("an unset variable without a default is empty and reported")
  void unsetIsEmpty() {
    assertThat(interpolate("[$UNSET][${ALSO}]")).isEqualTo("[][]");
    assertThat(unset).containsExactly("UNSET", "ALSO");
  }

  @Test
  @DisplayName("the error forms fail with the message given")
  void requiredVariables() {
    assertThatThrownBy(() -> interpolator.interpolate("${UNSET:?please set it}"))
        .hasMessage("required variable UNSET is missing a value: please set it");
    assertThatThrownBy(() -> interpolator.interpolate("${EMPTY:?}"))
        .hasMessage("required variable EMPTY is missing a value");
    assertThatThrownBy(() -> interpolator.interpolate("${UNSET?no ${SET}}"))
        .hasMessage("required variable UNSET is missing a value: no value");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"${", "${}", "${1A}", "${SET:}", "${SET*x}", "a ${ b"})
  void invalidFormats(String template) {
    assertThatThrownBy(() -> interpolator.interpolate(template))
        .isInstanceOf(Interpolator.InterpolationException.class)
        .hasMessage(
            "invalid interpolation format in \""
                + template
                + "\"; you may need to escape any $ with another $");
  }

  @ParameterizedTest(name = "{0} is kept as written")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "$",
        "a $ b",
        "$1",
        "$2y$05$1abcdefghijklmnopqrstuv",
        "$(date +%s)",
        "echo $'a\\tb'",
        "^/api/v[0-9]+$",
        "price: 5$"
      })
  @DisplayName("a $ that starts no substitution is kept as written (compose-go's rule)")
  void dollarsThatStartNoSubstitution(String template) {
    assertThat(interpolate(template)).isEqualTo(template);
  }

  private String interpolate(String template) {
    try {
      return interpolator.interpolate(template.equals("''") ? "" : template);
    } catch (Interpolator.InterpolationException e) {
      throw new AssertionError(e.getMessage());
    }
  }
}
