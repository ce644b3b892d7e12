package io.stackwright.loader.internal;

import java.util.function.Function;

/**
 * Compose variable substitution: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code
 * ${VAR-default}}, {@code ${VAR:?error}}, {@code ${VAR?error}}, {@code ${VAR:+alternative}}, {@code
 * ${VAR+alternative}} and {@code $$} for a literal dollar. Defaults and alternatives may themselves
 * contain substitutions, nested at most {@link io.stackwright.loader.LoadLimits#maxNestingDepth}
 * deep. A {@code $} that starts none of these ({@code $2y$05$...}, {@code $(cmd)}, a {@code $} at
 * the end) is kept as written, as compose-go keeps it; only a malformed {@code ${} is an error.
 * What substitution adds to the text counts against the load's {@link LoadBudget}.
 */
public final class Interpolator {

  /** Told about each variable used without a value and without a default. */
  public interface UnsetListener {
    void unset(String variable);
  }

  /** Why a string could not be interpolated: a message fit for a {@code SpecProblem}. */
  public static class InterpolationException extends Exception {
    private static final long serialVersionUID = 1L;

    InterpolationException(String message) {
      super(message, null, false, false);
    }
  }

  /** A limit of the load passed while substituting. */
  public static final class LimitException extends InterpolationException {
    private static final long serialVersionUID = 1L;

    LimitException(String message) {
      super(message);
    }
  }

  private final Function<String, String> lookup;
  private final UnsetListener unset;
  private final LoadBudget budget;

  /**
   * @param lookup a variable's value, or {@code null} when it is not set
   */
  public Interpolator(Function<String, String> lookup, UnsetListener unset) {
    this(lookup, unset, LoadBudget.defaults());
  }

  public Interpolator(Function<String, String> lookup, UnsetListener unset, LoadBudget budget) {
    this.lookup = lookup;
    this.unset = unset;
    this.budget = budget;
  }

  public String interpolate(String text) throws InterpolationException {
    if (text.indexOf('$') < 0) {
      return text;
    }
    String result = interpolate(text, 1, text.length());
    if (result.length() > text.length() && !budget.chars(result.length() - text.length())) {
      throw tooLarge();
    }
    return result;
  }

  /**
   * @param depth how deep this text is nested in substitutions
   * @param base the length of the outermost text: the output may grow past it by what the budget
   *     has left
   */
  private String interpolate(String text, int depth, int base) throws InterpolationException {
    if (text.indexOf('$') < 0) {
      return text;
    }
    if (depth > budget.limits().maxNestingDepth()) {
      throw new LimitException(
          "variable substitutions nest deeper than "
              + budget.limits().maxNestingDepth()
              + " levels"
              + LoadBudget.raise("maxNestingDepth"));
    }
    long room = base + budget.remainingChars();
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
      char next = i + 1 < n ? text.charAt(i + 1) : '\0';
      String value;
      if (next == '$') {
        value = "$";
        i += 2;
      } else if (next == '{') {
        int end = closingBrace(text, i + 2);
        if (end < 0) {
          throw invalid(text);
        }
        value = braced(text.substring(i + 2, end), text, depth, base);
        i = end + 1;
      } else if (isNameStart(next)) {
        int end = i + 2;
        while (end < n && isNamePart(text.charAt(end))) {
          end++;
        }
        value = valueOrBlank(text.substring(i + 1, end));
        i = end;
      } else {
        // not a substitution ($2y$05$..., $(...), $' or a $ at the end): kept as written
        value = "$";
        i++;
      }
      if (out.length() + (long) value.length() > room) {
        throw tooLarge();
      }
      if (out.length() == 0 && i == n) {
        return value; // the whole text is one substitution: no copy of a large value
      }
      out.append(value);
    }
    return out.toString();
  }

  private LimitException tooLarge() {
    return new LimitException(
        "the model grows past "
            + budget.limits().maxModelChars()
            + " characters with variables substituted"
            + LoadBudget.raise("maxModelChars"));
  }

  private String braced(String body, String whole, int depth, int base)
      throws InterpolationException {
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
        return missing ? interpolate(argument, depth + 1, base) : value;
      case '?':
        if (missing) {
          String detail = Texts.excerpt(interpolate(argument, depth + 1, base));
          throw new InterpolationException(
              "required variable "
                  + name
                  + " is missing a value"
                  + (detail.isEmpty() ? "" : ": " + detail));
        }
        return value;
      case '+':
        return missing ? "" : interpolate(argument, depth + 1, base);
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
            + Texts.excerpt(text)
            + "\"; you may need to escape any $ with another $");
  }

  static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}
