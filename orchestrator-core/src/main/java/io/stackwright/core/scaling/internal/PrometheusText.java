package io.stackwright.core.scaling.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads the Prometheus text exposition format (version 0.0.4): {@code name{label="value",...} value
 * [timestamp]} lines, {@code #} comments, escaped label values ({@code \\ \" \n}). Lines it cannot
 * read are skipped, as Prometheus would reject the scrape only for its own storage; an autoscaler
 * is better served by the series it can read.
 */
public final class PrometheusText {
  private PrometheusText() {}

  /**
   * The sum of the series named {@code name} whose labels include every entry of {@code matchers},
   * or empty when there is none.
   */
  public static OptionalDouble sum(String text, String name, Map<String, String> matchers) {
    double total = 0;
    boolean found = false;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      Sample sample = parse(line);
      if (sample == null || !sample.name.equals(name) || Double.isNaN(sample.value)) {
        continue;
      }
      if (matches(sample.labels, matchers)) {
        total += sample.value;
        found = true;
      }
    }
    return found ? OptionalDouble.of(total) : OptionalDouble.empty();
  }

  private static boolean matches(Map<String, String> labels, Map<String, String> matchers) {
    for (Map.Entry<String, String> m : matchers.entrySet()) {
      if (!m.getValue().equals(labels.get(m.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private record Sample(String name, Map<String, String> labels, double value) {}

  /** One sample line, or null when it is malformed. */
  static Sample parse(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && isNameChar(line.charAt(i))) {
      i++;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < n && line.charAt(i) == '{') {
      i++;
      while (true) {
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
          i++;
        }
        if (i < n && line.charAt(i) == '}') {
          i++;
          break;
        }
        int start = i;
        while (i < n && isNameChar(line.charAt(i))) {
          i++;
        }
        String key = line.substring(start, i);
        if (key.isEmpty() || i + 1 >= n || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
          return null;
        }
        i += 2;
        StringBuilder value = new StringBuilder();
        while (i < n && line.charAt(i) != '"') {
          char c = line.charAt(i);
          if (c == '\\' && i + 1 < n) {
            char e = line.charAt(++i);
            value.append(e == 'n' ? '\n' : e);
          } else {
            value.append(c);
          }
          i++;
        }
        if (i >= n) {
          return null;
        }
        i++;
        labels.put(key, value.toString());
      }
    }
    String[] rest = line.substring(i).strip().split("\\s+");
    if (rest.length == 0 || rest[0].isEmpty()) {
      return null;
    }
    try {
      return new Sample(name, labels, value(rest[0]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == ':';
  }
}
