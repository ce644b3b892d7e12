package io.stackwright.api;

/** A soft and a hard process limit ({@code nofile}, {@code nproc}, ...). */
public record Ulimit(long soft, long hard) {
  public Ulimit {
    if (soft > hard) {
      throw new IllegalArgumentException("soft limit " + soft + " exceeds hard limit " + hard);
    }
  }

  public static Ulimit of(long both) {
    return new Ulimit(both, both);
  }
}
