package io.stackwright.loader.internal;

import java.util.Collection;
import java.util.Locale;

/** "did you mean" for mistyped keys. */
public final class KeySuggestions {
  private KeySuggestions() {}

  /** {@code " (did you mean 'x'?)"} for the closest known key when one is close enough, else "". */
  public static String suggestion(String key, Collection<String> known) {
    String message = unknownKey(key, known);
    int hint = message.indexOf(" (did you mean");
    return hint < 0 ? "" : message.substring(hint);
  }

  /** The message for an unknown key, with the closest known key when one is close enough. */
  public static String unknownKey(String key, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(key.toLowerCase(Locale.ROOT), candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int limit = Math.min(2, Math.max(1, key.length() / 3));
    return best != null && bestDistance <= limit
        ? "unknown key '" + key + "' (did you mean '" + best + "'?)"
        : "unknown key '" + key + "'";
  }

  /** Edit distance counting a swap of two neighbouring characters as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
