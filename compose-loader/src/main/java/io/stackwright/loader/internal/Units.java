package io.stackwright.loader.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compose's units: Go durations ({@code 1m30s}), byte sizes ({@code 512m}) and CPU counts. */
public final class Units {
  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Pattern BYTES =
      Pattern.compile("(\\d+(?:\\.\\d+)?) ?([kmgtp]?)(i?)(b?)", Pattern.CASE_INSENSITIVE);
  private static final BigDecimal NANOS_PER_CPU = BigDecimal.valueOf(1_000_000_000L);

  private Units() {}

  /**
   * A Go duration such as {@code 10s}, {@code 1m30s}, {@code 1.5h} or {@code 500ms}.
   *
   * @throws IllegalArgumentException saying what was expected (never showing the value)
   */
  public static Duration duration(String text) {
    String s = text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION_PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length() && m.find(at) && m.start() == at) {
      BigDecimal amount = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
      at = m.end();
    }
    if (s.isEmpty() || at != s.length()) {
      throw new IllegalArgumentException("expected a duration such as 10s, 1m30s or 500ms");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /**
   * A size in bytes: a plain number, or a number with {@code b}, {@code k}, {@code m}, {@code g},
   * {@code t} or {@code p} (binary multiples, any case, with an optional {@code b}/{@code ib}).
   *
   * @throws IllegalArgumentException saying what was expected (never showing the value)
   */
  public static long bytes(String text) {
    Matcher m = BYTES.matcher(text.strip());
    if (!m.matches() || (!m.group(3).isEmpty() && m.group(2).isEmpty())) {
      throw new IllegalArgumentException("expected a size such as 512m, 1g or 1.5GB");
    }
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    int power = unit.isEmpty() ? 0 : "kmgtp".indexOf(unit) + 1;
    BigDecimal value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
    try {
      return value.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("too large");
    }
  }

  /**
   * A CPU count such as {@code 0.5} or {@code 2}, in billionths of a CPU.
   *
   * @throws IllegalArgumentException saying what was expected (never showing the value)
   */
  public static long nanoCpus(String text) {
    BigDecimal cpus;
    try {
      cpus = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number such as 0.5 or 2");
    }
    if (cpus.signum() < 0) {
      throw new IllegalArgumentException("cannot be negative");
    }
    BigDecimal nanos = cpus.multiply(NANOS_PER_CPU);
    if (nanos.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("too precise");
    }
    return nanos.longValue();
  }
}
