package io.stackwright.loader.internal;

/** Text as a one-line problem message may show it. */
final class Texts {
  /** The most characters of a value a message shows. */
  static final int EXCERPT = 80;

  private Texts() {}

  /**
   * The text when it is short and on one line; else its first line cut at {@link #EXCERPT}
   * characters, with "..." and how long it was, so that a block scalar or a huge value never fills
   * a message.
   */
  static String excerpt(String text) {
    int newline = text.indexOf('\n');
    if (newline < 0 && text.length() <= EXCERPT) {
      return text;
    }
    int end = Math.min(newline < 0 ? text.length() : newline, EXCERPT);
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    String first = text.substring(0, end);
    if (first.endsWith("\r")) {
      first = first.substring(0, first.length() - 1);
    }
    return first
        + "... ("
        + text.length()
        + " characters"
        + (newline < 0 ? "" : ", several lines")
        + ")";
  }
}
