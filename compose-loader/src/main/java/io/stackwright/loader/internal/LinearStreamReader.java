package io.stackwright.loader.internal;

import java.io.StringReader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's {@link StreamReader} over a text held whole in memory. SnakeYAML's own reader copies
 * its window of the input each time it reads 1,024 more characters, and the window starts at the
 * token being scanned: a token of n characters (a long scalar, comment or run of spaces) costs
 * n²/2,048 copies, so a 4 MB scalar took 80 s. This one reads the text in place, so scanning is
 * linear in the size of the file. It keeps the public contract the scanner uses (peek, prefix,
 * forward, marks, line and column counting, and the refusal of non-printable characters).
 */
final class LinearStreamReader extends StreamReader {
  private static final int[] NO_SNIPPET = new int[0];
  private static final int CHECK_CHUNK = 1024;

  /** The text when it has no surrogate pairs (code points are chars), else {@code null}. */
  private final String text;

  /** The code points when the text has surrogate pairs, else {@code null}. */
  private final int[] codePoints;

  private final int length;
  private final String name;
  private int pointer;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  /** Characters checked for printability so far. */
  private int checked;

  LinearStreamReader(String name, String content) {
    super(new StringReader(""));
    this.name = name;
    boolean surrogates = false;
    for (int i = 0; i < content.length(); i++) {
      if (Character.isSurrogate(content.charAt(i))) {
        surrogates = true;
        break;
      }
    }
    if (surrogates) {
      this.text = null;
      this.codePoints = content.codePoints().toArray();
      this.length = codePoints.length;
    } else {
      this.text = content;
      this.codePoints = null;
      this.length = content.length();
    }
  }

  private int at(int i) {
    return text != null ? text.charAt(i) : codePoints[i];
  }

  /** Whether {@code size} more code points are there, checking the printability of what is read. */
  private boolean available(int size) {
    int end = pointer + size;
    if (end >= checked && checked < length) {
      int to = (int) Math.min(length, Math.max((long) end + 1, (long) checked + CHECK_CHUNK));
      for (int i = checked; i < to; i++) {
        int c = at(i);
        if (!isPrintable(c)) {
          throw new ReaderException(name, i, c, "special characters are not allowed");
        }
      }
      checked = to;
    }
    return end < length;
  }

  @Override
  public Mark getMark() {
    return new Mark(name, index, line, column, NO_SNIPPET, 0);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int count) {
    for (int i = 0; i < count && available(0); i++) {
      int c = at(pointer++);
      index++;
      documentIndex++;
      if (Constant.LINEBR.has(c) || (c == '\r' && available(0) && at(pointer) != '\n')) {
        line++;
        column = 0;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return available(0) ? at(pointer) : '\0';
  }

  @Override
  public int peek(int offset) {
    return available(offset) ? at(pointer + offset) : '\0';
  }

  @Override
  public String prefix(int count) {
    if (count == 0) {
      return "";
    }
    int end = available(count) ? pointer + count : Math.min(pointer + count, length);
    if (text != null) {
      return text.substring(pointer, end);
    }
    return new String(codePoints, pointer, end - pointer);
  }

  @Override
  public String prefixForward(int count) {
    String prefix = prefix(count);
    pointer += count;
    index += count;
    documentIndex += count;
    column += count;
    return prefix;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getDocumentIndex() {
    return documentIndex;
  }

  @Override
  public void resetDocumentIndex() {
    documentIndex = 0;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }
}
