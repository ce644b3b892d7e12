package io.stackwright.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A named lease held by one process until {@link #expiresAt()} (an autoscaler of a stack, a
 * supervisor of the whole store).
 *
 * @param name the lease's name, unique in the store
 * @param stack the stack that owns it (deleted with the stack), or {@code null}
 * @param holder who holds it
 * @param fencingToken the token of this acquisition, greater than every token the store gave before
 * @param expiresAt when it lapses unless renewed
 */
public record LeaseGrant(
    String name, String stack, String holder, long fencingToken, Instant expiresAt)
    implements Fence {
  public LeaseGrant {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
