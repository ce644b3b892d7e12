package io.stackwright.core.scaling;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.spi.Subscription;

/** A running autoscaler for one stack; closing it stops it (and gives up its lease). */
public interface Autoscaling extends Subscription {

  /** Whether this instance currently acts on the stack (holds its lease, or needs none). */
  boolean leading();

  /**
   * Sends {@code listener} this autoscaling's events (decisions, lease changes, warnings) from now
   * on, until the subscription or the autoscaling is closed.
   */
  Subscription subscribe(EventListener listener);
}
