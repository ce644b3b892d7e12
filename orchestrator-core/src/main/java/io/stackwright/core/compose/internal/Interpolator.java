package io.stackwright.core.compose.internal;

import java.util.function.Function;

/**
 * Compose variable substitution: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code
 * ${VAR-default}}, {@code ${VAR:?error}}, {@code ${VAR?error}}, {@code ${VAR:+alternative}}, {@code
 * ${VAR+alternative}} and {@code $$} for a literal dollar. Defaults and alternatives may themselves
 * contain substitutions.
 */
public final class Interpolator {

  /** Told about each variable used without a value and without a default. */
  public interface UnsetListener {
    void unset(String variable);
  }

  /** Why a string could not be interpolated: a message fit for a {@code SpecProblem}. */
  public static final class InterpolationException extends Exception {
    private static final long serialVersionUID = 1L;

    InterpolationException(String message) {
      super(message, null, false, false);
    }
  }

  private final Function<String, String> lookup;
  private final UnsetListener unset;

  /**
   * @param lookup a variable's value, or {@code null} when it is not set
   */
  public Interpolator(Function<String, String> lookup, UnsetListener unset) {
    this.lookup = lookup;
    this.unset = unset;
  }

  public String interpolate(String text) throws InterpolationException {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 >= n) {
        throw invalid(text);
      }
      char next = text.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '{') {
        int end = closingBrace(text, i + 2);
        if (end < 0) {
          throw invalid(text);
        }
        out.append(braced(text.substring(i + 2, end), text));
        i = end + 1;
      } else if (isNameStart(next)) {
        int end = i + 2;
        while (end < n && isNamePart(text.charAt(end))) {
          end++;
        }
        out.append(valueOrBlank(text.substring(i + 1, end)));
        i = end;
      } else {
        throw invalid(text);
      }
    }
    return out.toString();
  }

  private String braced(String body, String whole) throws InterpolationException {
    int nameEnd = 0;
    if (body.isEmpty() || !isNameStart(body.charAt(0))) {
      throw invalid(whole);
    }
    while (nameEnd < body.length() && isNamePart(body.charAt(nameEnd))) {
      nameEnd++;
    }
    String name = body.substring(0, nameEnd);
    String rest = body.substring(nameEnd);
    if (rest.isEmpty()) {
      return valueOrBlank(name);
    }
    boolean colon = rest.charAt(0) == ':';
    String op = colon ? rest.substring(1) : rest;
    if (op.isEmpty()) {
      throw invalid(whole);
    }
    char kind = op.charAt(0);
    String argument = op.substring(1);
    String value = lookup.apply(name);
    boolean missing = value == null || (colon && value.isEmpty());
    switch (kind) {
      case '-':
        return missing ? interpolate(argument) : value;
      case '?':
        if (missing) {
          String detail = interpolate(argument);
          throw new InterpolationException(
              "required variable "
                  + name
                  + " is missing a value"
                  + (detail.isEmpty() ? "" : ": " + detail));
        }
        return value;
      case '+':
        return missing ? "" : interpolate(argument);
      default:
        throw invalid(whole);
    }
  }

  private String valueOrBlank(String name) {
    String value = lookup.apply(name);
    if (value == null) {
      unset.unset(name);
      return "";
    }
    return value;
  }

  /** The index of the brace closing a {@code ${} whose body starts at {@code from}, or -1. */
  private static int closingBrace(String text, int from) {
    int depth = 1;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
        i++;
      } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        depth++;
        i++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static InterpolationException invalid(String text) {
    return new InterpolationException(
        "invalid interpolation format in \""
            + text
            + "\"; you may need to escape any $ with another $");
  }

  static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}
