package io.stackwright.api.scaling;

import java.util.Objects;

/**
 * CPU or memory use of the replicas, in percent of a base per replica. The base (what 100% means)
 * is the service's reservation when it declares one, else its limit (Kubernetes uses the request,
 * our reservation; a limit is the next best statement of what a replica is meant to use). With
 * neither, CPU is measured against one full core, and memory cannot be measured as a percentage:
 * the autoscaler rejects such a policy with an {@link io.stackwright.api.InvalidSpecException}.
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
