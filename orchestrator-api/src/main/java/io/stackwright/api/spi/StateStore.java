package io.stackwright.api.spi;

import java.util.List;
import java.util.Optional;

/**
 * What Stackwright must remember that the cluster cannot hold: health history, scaling decisions,
 * deployment revisions. Values are documents (JSON, written by core); keys are grouped in
 * namespaces ({@code health/<stack>}, {@code revisions/<stack>}). Implementations must be safe for
 * concurrent use and durable once a call returns, so that a restarted host resumes where it was.
 */
public interface StateStore extends AutoCloseable {

  /** The value stored under {@code key}, if any. */
  Optional<String> get(String namespace, String key);

  /** Stores {@code value} under {@code key}, replacing what was there. */
  void put(String namespace, String key, String value);

  /** Forgets {@code key}; nothing happens when it is absent. */
  void delete(String namespace, String key);

  /** The keys of a namespace, sorted. */
  List<String> keys(String namespace);

  /**
   * Appends one record to the history kept under {@code key}, dropping the oldest records beyond
   * {@code keep}.
   */
  void append(String namespace, String key, String record, int keep);

  /** The newest {@code limit} records of a history, oldest first. */
  List<String> history(String namespace, String key, int limit);

  @Override
  default void close() {}
}
