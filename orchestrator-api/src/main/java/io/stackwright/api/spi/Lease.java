package io.stackwright.api.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Who holds a named lease of a stack, and until when. A lease lets several host processes that
 * embed Stackwright against one cluster agree that only one of them acts (autoscales) at a time.
 *
 * @param holder the holder's name
 * @param expiresAt when the lease lapses unless its holder renews it
 */
public record Lease(String holder, Instant expiresAt) {
  public Lease {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public boolean heldBy(String name, Instant now) {
    return holder.equals(name) && expiresAt.isAfter(now);
  }
}
