package io.stackwright.loader.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into words the way a POSIX shell would, without expanding anything:
 * whitespace separates words, single quotes are literal, double quotes allow {@code \"}, {@code
 * \\}, {@code \$} and {@code \`}, and a backslash outside quotes escapes the next character.
 */
public final class ShellWords {
  private ShellWords() {}

  /**
   * @throws IllegalArgumentException when a quote is not closed
   */
  public static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated single quote in command: " + text);
        }
        word.append(text, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        boolean closed = false;
        while (i < n) {
          char d = text.charAt(i);
          if (d == '"') {
            closed = true;
            i++;
            break;
          }
          if (d == '\\' && i + 1 < n && "\"\\$`\n".indexOf(text.charAt(i + 1)) >= 0) {
            if (text.charAt(i + 1) != '\n') {
              word.append(text.charAt(i + 1));
            }
            i += 2;
          } else {
            word.append(d);
            i++;
          }
        }
        if (!closed) {
          throw new IllegalArgumentException("unterminated double quote in command: " + text);
        }
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 < n) {
          if (text.charAt(i + 1) != '\n') {
            word.append(text.charAt(i + 1));
            inWord = true;
          }
          i += 2;
        } else {
          word.append(c);
          inWord = true;
          i++;
        }
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
