package io.stackwright.core.scaling.internal;

import java.util.List;

/** What was measured of one metric at one moment. */
public sealed interface Observation {

  /** A value per replica (CPU, memory, a Prometheus series). */
  record PerReplica(List<ReplicaSample> samples) implements Observation {
    public PerReplica {
      samples = List.copyOf(samples);
    }
  }

  /** One value for the whole service (a custom metric). */
  record ServiceTotal(double value) implements Observation {}

  /** Nothing could be measured. */
  record Unavailable(String reason) implements Observation {}
}
