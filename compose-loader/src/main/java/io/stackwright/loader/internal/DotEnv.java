package io.stackwright.loader.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads {@code .env} and {@code env_file} files: {@code KEY=value} lines, {@code #} comments, an
 * optional {@code export} prefix, single-quoted (literal) and double-quoted (escapes, several
 * lines) values, and substitutions that see the outer environment first, then the keys above.
 */
public final class DotEnv {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  private static final Pattern LINES = Pattern.compile("\r?\n");

  private DotEnv() {}

  /**
   * @param raw {@code format: raw}: values are taken as written, without quotes or substitution
   * @param outer the environment substitutions also see, and that gives a bare {@code KEY} line its
   *     value
   * @param outerFirst whether {@code outer} wins over the keys above in substitutions (true for a
   *     project's {@code .env}, where the process environment wins; false for an {@code env_file})
   */
  public static Map<String, String> parse(
      String file,
      String content,
      boolean raw,
      Function<String, String> outer,
      boolean outerFirst,
      Diagnostics diagnostics) {
    return parse(file, content, raw, outer, outerFirst, diagnostics, LoadBudget.defaults());
  }

  /** As above, what substitutions add counting against {@code budget}. */
  public static Map<String, String> parse(
      String file,
      String content,
      boolean raw,
      Function<String, String> outer,
      boolean outerFirst,
      Diagnostics diagnostics,
      LoadBudget budget) {
    Map<String, String> values = new LinkedHashMap<>();
    int[] current = {0}; // the line being read, for warnings
    Interpolator interpolator =
        new Interpolator(
            name -> {
              String first = outerFirst ? outer.apply(name) : values.get(name);
              return first != null ? first : outerFirst ? values.get(name) : outer.apply(name);
            },
            name ->
                diagnostics.warn(
                    new Location(file, current[0], 1),
                    "",
                    "the \"" + name + "\" variable is not set. Defaulting to a blank string."),
            budget);
    String[] lines = content.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      current[0] = lineNumber;
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (!raw && trimmed.startsWith("export ")) {
        trimmed = trimmed.substring("export ".length()).strip();
      }
      int eq = trimmed.indexOf('=');
      String key = (eq < 0 ? trimmed : trimmed.substring(0, eq)).strip();
      Location at = new Location(file, lineNumber, line.indexOf(key.isEmpty() ? "=" : key) + 1);
      if (!KEY.matcher(key).matches()) {
        diagnostics.problem(at, "", "invalid variable name '" + key + "'");
        continue;
      }
      if (eq < 0) {
        String inherited = outer.apply(key);
        if (inherited != null) {
          values.put(key, inherited);
        }
        continue;
      }
      String rest = trimmed.substring(eq + 1);
      if (raw) {
        values.put(key, rest);
        continue;
      }
      rest = rest.stripLeading();
      try {
        if (rest.startsWith("'")) {
          int end = rest.indexOf('\'', 1);
          if (end < 0) {
            diagnostics.problem(at, key, "unterminated single-quoted value");
            continue;
          }
          values.put(key, rest.substring(1, end));
        } else if (rest.startsWith("\"")) {
          StringBuilder value = new StringBuilder();
          int start = i;
          String remaining = rest.substring(1);
          int end;
          while ((end = closingQuote(remaining)) < 0 && i + 1 < lines.length) {
            value.append(remaining).append('\n');
            remaining = lines[++i];
          }
          if (end < 0) {
            diagnostics.problem(
                new Location(file, start + 1, at.column()),
                key,
                "unterminated double-quoted value");
            continue;
          }
          value.append(remaining, 0, end);
          values.put(key, interpolator.interpolate(unescape(value.toString())));
        } else {
          int comment = rest.indexOf(" #");
          String value = (comment < 0 ? rest : rest.substring(0, comment)).strip();
          values.put(key, interpolator.interpolate(value));
        }
      } catch (Interpolator.LimitException e) {
        budget.report(diagnostics, at, key, e.getMessage());
        return values;
      } catch (Interpolator.InterpolationException e) {
        diagnostics.problem(at, key, e.getMessage());
      }
    }
    return values;
  }

  /** The index of the first unescaped double quote, or -1. */
  private static int closingQuote(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  private static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 >= text.length()) {
        out.append(c);
        continue;
      }
      char next = text.charAt(++i);
      switch (next) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '"', '\\' -> out.append(next);
        case '$' -> out.append("$$");
        default -> out.append('\\').append(next);
      }
    }
    return out.toString();
  }
}
