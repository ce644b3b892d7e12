package io.stackwright.api;

/**
 * CPU, memory and process-count amounts. Zero means not set.
 *
 * @param nanoCpus CPU in billionths of a core ({@code 0.5} cpu = 500_000_000)
 * @param memoryBytes memory in bytes
 * @param pids maximum number of processes (limits only)
 */
public record ResourceLimits(long nanoCpus, long memoryBytes, long pids) {
  public static final ResourceLimits NONE = new ResourceLimits(0, 0, 0);

  public ResourceLimits {
    if (nanoCpus < 0 || memoryBytes < 0 || pids < 0) {
      throw new IllegalArgumentException("resource amounts cannot be negative");
    }
  }

  public static ResourceLimits of(double cpus, long memoryBytes) {
    return new ResourceLimits(Math.round(cpus * 1_000_000_000d), memoryBytes, 0);
  }

  public boolean isEmpty() {
    return nanoCpus == 0 && memoryBytes == 0 && pids == 0;
  }
}
