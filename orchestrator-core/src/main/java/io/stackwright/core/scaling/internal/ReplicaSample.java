package io.stackwright.core.scaling.internal;

import java.util.Objects;

/**
 * One replica's value of one metric, or {@code null} when it has none (no reading yet, a scrape
 * failed).
 *
 * @param replica the replica's id
 * @param ready whether it runs and passes its healthcheck
 * @param value the metric's value for it, or {@code null}
 */
public record ReplicaSample(String replica, boolean ready, Double value) {
  public ReplicaSample {
    Objects.requireNonNull(replica, "replica");
  }
}
