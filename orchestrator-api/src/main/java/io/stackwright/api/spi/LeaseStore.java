package io.stackwright.api.spi;

import io.stackwright.api.store.LeaseGrant;
import java.time.Duration;
import java.util.Optional;

/**
 * Named leases: one holder at a time, until the lease expires. Every acquisition takes a fencing
 * token greater than any the store gave before; renewing keeps the token.
 */
public interface LeaseStore {

  /**
   * Acquires the lease {@code name} for {@code holder} when it is free, lapsed, or already held by
   * {@code holder} (then it is renewed and keeps its token).
   *
   * @param stack the stack that owns the lease (deleted with it), or {@code null}
   * @return the grant, or empty when someone else holds it
   */
  Optional<LeaseGrant> tryAcquire(String name, String stack, String holder, Duration ttl);

  /**
   * Extends {@code grant} to {@code ttl} from now; refused ({@link
   * io.stackwright.api.store.LeaseLostException}) once it lapsed or was taken over.
   */
  LeaseGrant renew(LeaseGrant grant, Duration ttl);

  /** Gives the lease up, so that another holder need not wait for it to lapse. */
  void release(LeaseGrant grant);

  /** Whether {@code grant} is the lease's current token and has not lapsed. */
  boolean isCurrent(LeaseGrant grant);

  /** Who holds the lease now, if anyone (a lapsed lease is held by no one). */
  Optional<LeaseGrant> current(String name);
}
