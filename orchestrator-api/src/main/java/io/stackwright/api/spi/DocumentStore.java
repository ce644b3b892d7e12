package io.stackwright.api.spi;

import io.stackwright.api.store.Fence;

/**
 * Key/value documents grouped by namespace ({@code health}, {@code revisions}, ...), with bounded
 * histories. It is the {@link StateStore} core's health and rollout code use.
 *
 * <p>A document belongs to the stack its key names: the key is the stack's name, or starts with
 * {@code <stack>/}. {@link Store#deleteStack(String)} deletes those documents.
 */
public interface DocumentStore extends StateStore {

  /**
   * Stores {@code value} under {@code key} only while {@code fence} is current: in the same
   * transaction that checks the fence's token, so a holder whose lease lapsed never overwrites its
   * successor's document.
   *
   * @throws io.stackwright.api.store.LeaseLostException when the fence is no longer current
   */
  void put(String namespace, String key, String value, Fence fence);

  /** A view closes nothing: the {@link Store} owns the resources. */
  @Override
  default void close() {}
}
