package io.stackwright.loader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggestionsTest {
  private static final List<String> KEYS =
      List.of("image", "environment", "ports", "networks", "env_file");

  @Test
  void suggestsTheClosestKeyForTyposAndSwaps() {
    assertThat(KeySuggestions.unknownKey("imgae", KEYS))
        .isEqualTo("unknown key 'imgae' (did you mean 'image'?)");
    assertThat(KeySuggestions.unknownKey("enviroment", KEYS))
        .isEqualTo("unknown key 'enviroment' (did you mean 'environment'?)");
    assertThat(KeySuggestions.unknownKey("Ports", KEYS))
        .isEqualTo("unknown key 'Ports' (did you mean 'ports'?)");
    assertThat(KeySuggestions.unknownKey("envfile", KEYS))
        .isEqualTo("unknown key 'envfile' (did you mean 'env_file'?)");
  }

  @Test
  void saysNothingWhenNothingIsClose() {
    assertThat(KeySuggestions.unknownKey("volumes", KEYS)).isEqualTo("unknown key 'volumes'");
    assertThat(KeySuggestions.unknownKey("ab", KEYS)).isEqualTo("unknown key 'ab'");
  }

  @Test
  void distanceCountsASwapAsOneEdit() {
    assertThat(KeySuggestions.distance("imgae", "image")).isEqualTo(1);
    assertThat(KeySuggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(KeySuggestions.distance("", "abc")).isEqualTo(3);
  }
}
