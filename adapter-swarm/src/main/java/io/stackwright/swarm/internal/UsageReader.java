package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.spi.LocalCgroups;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.ResourceUsage;
import io.stackwright.api.state.TaskState;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a task container's CPU and memory counters: from the kernel's cgroup files when the engine
 * runs on this machine (microseconds per container), else from the engine's one-shot stats endpoint
 * ({@code GET /containers/{id}/stats?stream=false&one-shot=true}, API 1.41; milliseconds per
 * container, and only for tasks on the node of the engine this process talks to). The property
 * {@value #SOURCE} ({@code auto}, {@code cgroup}, {@code stats}) forces one way, for benchmarks.
 */
public final class UsageReader {
  /**
   * Property choosing how usage is read: {@code auto} (default), {@code cgroup} or {@code stats}.
   */
  public static final String SOURCE = "stackwright.usage.source";

  private final Engine engine;
  private final Clock clock;
  private final String source;
  private final LocalCgroups cgroups;

  public UsageReader(Engine engine, PlatformContext context, boolean local) {
    this.engine = engine;
    this.clock = context.clock();
    this.source = context.property(SOURCE).orElse("auto").toLowerCase(Locale.ROOT);
    this.cgroups = local && !source.equals("stats") ? LocalCgroups.system() : null;
  }

  public ResourceUsage read(TaskState task) {
    String id = task.containerId();
    if (id == null) {
      throw new NotFoundException("task " + task.id() + " has no container yet");
    }
    if (cgroups != null) {
      Optional<ResourceUsage> local = cgroups.read(id, clock.instant());
      if (local.isPresent() || source.equals("cgroup")) {
        return local.orElseThrow(
            () ->
                new NotFoundException("no cgroup files for container " + id + " on this machine"));
      }
    }
    JsonNode stats =
        engine.get(
            "reading the stats of container " + id,
            "/containers/" + id + "/stats?stream=false&one-shot=true");
    return fromStats(stats, clock);
  }

  /** A reading from the Engine API's stats document, memory computed as {@code docker stats}. */
  static ResourceUsage fromStats(JsonNode stats, Clock clock) {
    JsonNode memory = stats.path("memory_stats");
    long usage = memory.path("usage").asLong();
    JsonNode detail = memory.path("stats");
    long inactive =
        detail.has("total_inactive_file")
            ? detail.path("total_inactive_file").asLong()
            : detail.path("inactive_file").asLong();
    return new ResourceUsage(
        clock.instant(),
        stats.path("cpu_stats").path("cpu_usage").path("total_usage").asLong(),
        Math.max(0, usage - inactive),
        memory.path("limit").asLong());
  }
}
