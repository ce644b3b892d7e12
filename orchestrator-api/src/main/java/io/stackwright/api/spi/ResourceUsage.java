package io.stackwright.api.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One reading of a replica's resource counters. CPU is cumulative, so a rate is the difference of
 * two readings divided by the time between them.
 *
 * @param readAt when the counters were read
 * @param cpuNanos CPU time the container used since it started, in nanoseconds
 * @param memoryBytes memory in use now (without the page cache, as {@code docker stats} shows it)
 * @param memoryLimitBytes the container's memory limit, or 0 when it has none
 */
public record ResourceUsage(
    Instant readAt, long cpuNanos, long memoryBytes, long memoryLimitBytes) {
  public ResourceUsage {
    Objects.requireNonNull(readAt, "readAt");
  }
}
