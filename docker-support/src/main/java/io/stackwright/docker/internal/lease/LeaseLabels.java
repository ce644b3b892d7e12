package io.stackwright.docker.internal.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.spi.Lease;
import java.time.Instant;
import java.util.Optional;

/**
 * A lease as the labels of the engine object that holds it (a Swarm config, a created container):
 * who holds it and until when. Both adapters write and read leases this way, so the rules of who
 * may take one are the same on both platforms.
 */
public final class LeaseLabels {
  public static final String HOLDER = "io.stackwright.lease.holder";
  public static final String EXPIRES = "io.stackwright.lease.expires";

  private LeaseLabels() {}

  /** Writes the lease's holder and expiry into {@code labels}. */
  public static void write(ObjectNode labels, Lease lease) {
    labels.put(HOLDER, lease.holder());
    labels.put(EXPIRES, lease.expiresAt().toString());
  }

  /** The lease these labels describe; empty when the expiry is missing or unreadable. */
  public static Optional<Lease> read(JsonNode labels) {
    try {
      Instant expires = Instant.parse(labels.path(EXPIRES).asText());
      return Optional.of(new Lease(labels.path(HOLDER).asText(""), expires));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code current} keeps {@code holder} out at {@code now}: another's, not expired. */
  public static boolean heldByAnother(Lease current, String holder, Instant now) {
    return !current.holder().equals(holder) && current.expiresAt().isAfter(now);
  }

  /** What a caller gets when nobody holds the lease after a lost race: nobody, expired now. */
  public static Lease nobody(Instant now) {
    return new Lease("", now);
  }
}
