package io.stackwright.docker.internal.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.ResourceUsage;
import io.stackwright.api.state.TaskState;
import io.stackwright.docker.internal.Engine;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a replica's CPU and memory counters: from the kernel's cgroup files when the engine runs on
 * this machine (microseconds per container, see {@link LocalCgroups}), else from the engine's
 * one-shot stats endpoint ({@code GET /containers/{id}/stats?stream=false&one-shot=true}, API 1.41;
 * milliseconds per container, and on Swarm only for tasks on the node of the engine this process
 * talks to). The property {@value #SOURCE} ({@code auto}, {@code cgroup}, {@code stats}) forces one
 * way, for benchmarks.
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

  /**
   * @param local whether the engine runs on this machine (its cgroup files are ours to read)
   */
  public UsageReader(Engine engine, PlatformContext context, boolean local) {
    this(engine, context, local ? LocalCgroups.system() : null);
  }

  UsageReader(Engine engine, PlatformContext context, LocalCgroups cgroups) {
    this.engine = engine;
    this.clock = context.clock();
    this.source = context.property(SOURCE).orElse("auto").toLowerCase(Locale.ROOT);
    this.cgroups = source.equals("stats") ? null : cgroups;
  }

  public ResourceUsage read(TaskState replica) {
    String id = replica.containerId();
    if (id == null) {
      throw new NotFoundException("replica " + replica.id() + " has no container yet");
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
