package io.stackwright.docker.internal;

import io.stackwright.api.PlatformException;
import io.stackwright.api.spi.PlatformContext;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long each kind of Engine API call may take, from the platform's properties. Every call has a
 * deadline: a hung engine (a Swarm manager without quorum answers nothing at all) must make a call
 * fail, not wait forever.
 *
 * <p>Values are durations such as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, a plain
 * number of seconds, or ISO-8601 ({@code PT30S}).
 *
 * @param connect how long opening a connection may take ({@value #CONNECT}, default 5 s)
 * @param response how long an ordinary call may take, until its whole answer is read ({@value
 *     #RESPONSE}, default 30 s)
 * @param longWait how long a call that legitimately waits may take: stopping a container with a
 *     grace period, removing one, waiting for one to exit ({@value #WAIT}, default 10 min)
 * @param eventWindow how long one {@code /events} stream stays open before it is opened again (from
 *     the last event seen, so nothing is lost): a stream from a hung engine is noticed within this
 *     window ({@value #EVENTS}, default 5 min); opening it is an ordinary call
 */
public record EngineSettings(
    Duration connect, Duration response, Duration longWait, Duration eventWindow) {

  public static final String CONNECT = "docker.timeout.connect";
  public static final String RESPONSE = "docker.timeout.response";
  public static final String WAIT = "docker.timeout.wait";
  public static final String EVENTS = "docker.timeout.events";

  public static final EngineSettings DEFAULTS =
      new EngineSettings(
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofMinutes(10),
          Duration.ofMinutes(5));

  private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  public EngineSettings {
    positive(CONNECT, connect);
    positive(RESPONSE, response);
    positive(WAIT, longWait);
    positive(EVENTS, eventWindow);
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** The settings the context's properties give, the defaults for the rest. */
  public static EngineSettings from(PlatformContext context) {
    return new EngineSettings(
        duration(context, CONNECT, DEFAULTS.connect()),
        duration(context, RESPONSE, DEFAULTS.response()),
        duration(context, WAIT, DEFAULTS.longWait()),
        duration(context, EVENTS, DEFAULTS.eventWindow()));
  }

  /** These settings with another response deadline (a quick availability probe). */
  public EngineSettings withResponse(Duration value) {
    return new EngineSettings(connect, value, longWait, eventWindow);
  }

  private static Duration duration(PlatformContext context, String name, Duration fallback) {
    return context
        .property(name)
        .filter(v -> !v.isBlank())
        .map(v -> parse(name, v))
        .orElse(fallback);
  }

  /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 30} (seconds) or {@code PT30S}. */
  static Duration parse(String name, String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    Duration parsed = null;
    Matcher m = SHORT.matcher(value);
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      double millis =
          switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
          };
      parsed = Duration.ofMillis(Math.round(millis));
    } else if (value.startsWith("pt") || value.startsWith("p")) {
      try {
        parsed = Duration.parse(text.strip());
      } catch (DateTimeParseException e) {
        parsed = null;
      }
    }
    if (parsed == null || parsed.isZero() || parsed.isNegative()) {
      throw new PlatformException(
          "the platform property "
              + name
              + " is \""
              + text
              + "\": give a positive duration such as 500ms, 30s, 2m or PT30S",
          false);
    }
    return parsed;
  }

  /** A deadline as people read it: {@code 30 s}, {@code 1.5 s}, {@code 250 ms}. */
  public static String describe(Duration deadline) {
    long millis = deadline.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis % 1000 == 0) {
      return (millis / 1000) + " s";
    }
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
