package io.stackwright.api.scaling;

import java.util.Objects;

/**
 * CPU or memory use of the replicas, in percent of a base per replica. The base (what 100% means)
 * is, in this order: the service's reservation, its limit, and, when neither is declared, one CPU
 * core for CPU and the ceiling the engine reports for the container (the host's memory) for memory.
 * Kubernetes uses the request (our reservation); a limit is the next best statement of what a
 * replica is meant to use.
 *
 * @param resource which resource
 */
public record ResourceMetric(Resource resource) implements Metric {
  public enum Resource {
    CPU,
    MEMORY
  }

  public ResourceMetric {
    Objects.requireNonNull(resource, "resource");
  }

  public static ResourceMetric cpu() {
    return new ResourceMetric(Resource.CPU);
  }

  public static ResourceMetric memory() {
    return new ResourceMetric(Resource.MEMORY);
  }

  @Override
  public String describe() {
    return resource == Resource.CPU ? "cpu" : "memory";
  }
}
