package io.stackwright.api.tenancy;

import java.util.Locale;

/** What a tenant's quota counts. CPU in billionths of a core, memory in bytes, the rest by one. */
public enum QuotaResource {
  CPU_LIMITS,
  CPU_RESERVATIONS,
  MEMORY_LIMITS,
  MEMORY_RESERVATIONS,
  REPLICAS,
  SERVICES,
  STACKS,
  VOLUMES;

  /** The name in messages, metrics tags and the store: {@code cpu-limits}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static QuotaResource of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** An amount of this resource as people read it ({@code 1.5 cpu}, {@code 256 MiB}, {@code 3}). */
  public String format(long amount) {
    return switch (this) {
      case CPU_LIMITS, CPU_RESERVATIONS -> trim(amount / 1e9) + " cpu";
      case MEMORY_LIMITS, MEMORY_RESERVATIONS -> trim(amount / (1024d * 1024d)) + " MiB";
      default -> Long.toString(amount);
    };
  }

  private static String trim(double value) {
    String text = String.format(Locale.ROOT, "%.3f", value);
    text = text.replaceAll("0+$", "");
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }
}
