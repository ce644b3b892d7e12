package io.stackwright.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The CLI's JSON writers, made on first use: Jackson's databind and its Java-time module cost a few
 * hundred classes, which commands that print no JSON (and {@code --help}) should not load.
 */
final class CliJson {
  private CliJson() {}

  /** Indented, for {@code --json} results. */
  static ObjectMapper pretty() {
    return Pretty.MAPPER;
  }

  /** One line per value, for event streams. */
  static ObjectMapper lines() {
    return Lines.MAPPER;
  }

  private static final class Pretty {
    static final ObjectMapper MAPPER =
        new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);
  }

  private static final class Lines {
    static final ObjectMapper MAPPER =
        new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }
}
