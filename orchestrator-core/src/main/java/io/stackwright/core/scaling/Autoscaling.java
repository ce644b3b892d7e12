package io.stackwright.core.scaling;

import io.stackwright.api.spi.Subscription;

/** A running autoscaler for one stack; closing it stops it (and gives up its lease). */
public interface Autoscaling extends Subscription {

  /** Whether this instance currently acts on the stack (holds its lease, or needs none). */
  boolean leading();
}
