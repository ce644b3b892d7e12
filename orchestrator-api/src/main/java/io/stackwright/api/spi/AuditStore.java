package io.stackwright.api.spi;

import io.stackwright.api.store.AuditEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The append-only audit history of every stack: each change Stackwright made and each drift it saw
 * or repaired. Rows are never updated; they go only by retention ({@link #purgeOlderThan}), never
 * with their stack ({@link Store#deleteStack} leaves them).
 */
public interface AuditStore {

  /** Appends one entry, timed by the store's clock; returns it with its id. */
  AuditEntry append(AuditEntry.Builder entry);

  /**
   * The stack's entries appended at or after {@code from} and before {@code to}, oldest first, at
   * most {@code limit}.
   */
  List<AuditEntry> history(String stack, Instant from, Instant to, int limit);

  /** Deletes the entries appended longer than {@code retention} ago; returns how many. */
  int purgeOlderThan(Duration retention);
}
