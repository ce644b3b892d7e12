package io.stackwright.loader.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

  @Test
  void whitespaceSeparatesWords() {
    assertThat(ShellWords.split("  bundle exec\tthin -p 3000\n"))
        .containsExactly("bundle", "exec", "thin", "-p", "3000");
    assertThat(ShellWords.split("")).isEmpty();
  }

  @Test
  void quotes() {
    assertThat(ShellWords.split("sh -c 'echo \"$HOME\"  done'"))
        .containsExactly("sh", "-c", "echo \"$HOME\"  done");
    assertThat(ShellWords.split("echo \"a \\\"quoted\\\" \\$word\" \"\\n stays\""))
        .containsExactly("echo", "a \"quoted\" $word", "\\n stays");
    assertThat(ShellWords.split("a'b'\"c\" '' \"\"")).containsExactly("abc", "", "");
  }

  @Test
  void backslashes() {
    assertThat(ShellWords.split("one\\ word two\\\\ \\'x"))
        .containsExactly("one word", "two\\", "'x");
    assertThat(ShellWords.split("line\\\ncontinued")).containsExactly("linecontinued");
  }

  @Test
  void unterminatedQuotes() {
    assertThatThrownBy(() -> ShellWords.split("echo 'oops"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ShellWords.split("echo \"oops"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
