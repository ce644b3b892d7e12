package io.stackwright.loader.internal;

/**
 * Where a node of a Compose file starts.
 *
 * @param file the file as the caller named it
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
public record Location(String file, int line, int column) {

  /** A location naming only the file (a problem with the file as a whole). */
  public static Location file(String file) {
    return new Location(file, 0, 0);
  }

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ":" + column : file;
  }
}
