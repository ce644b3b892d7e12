package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.ConflictException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.spi.Lease;
import io.stackwright.docker.internal.Engine;
import io.stackwright.docker.internal.lease.EngineLeases;
import io.stackwright.docker.internal.lease.LeaseLabels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Leases on a single engine, which has no object with a version index: a lease is a series of
 * generations, each a created (never started) container named {@code
 * <stack>-stackwright-lease-<name>-<generation>} whose labels name the holder and the expiry. The
 * engine creates a container name at most once, so of several processes trying to write generation
 * n+1 (to take an expired lease, or to renew their own) exactly one wins. The highest generation is
 * the lease; older ones are removed, keeping the one before, and a writer that finds a higher
 * generation than its own after writing (it read a stale list) withdraws its own.
 */
public final class ContainerLeases extends EngineLeases {
  static final String LEASE = "io.stackwright.lease";
  static final String GENERATION = "io.stackwright.lease.generation";

  private record Generation(String id, long number, Lease lease) {}

  public ContainerLeases(Engine engine, Clock clock) {
    super(engine, clock);
  }

  @Override
  public Lease acquire(String stack, String name, String holder, Duration ttl) {
    Instant now = clock.instant();
    List<Generation> generations = read(stack, name);
    Optional<Generation> latest = generations.stream().findFirst();
    if (latest.isPresent() && LeaseLabels.heldByAnother(latest.get().lease(), holder, now)) {
      return latest.get().lease();
    }
    long next = latest.map(g -> g.number() + 1).orElse(1L);
    Lease wanted = new Lease(holder, now.plus(ttl));
    String created;
    try {
      created = create(stack, name, next, wanted, generations);
    } catch (ConflictException e) {
      return winner(stack, name, next, now);
    }
    List<Generation> after = read(stack, name);
    if (after.isEmpty() || !after.get(0).id().equals(created)) {
      remove(created);
      return current(stack, name, now);
    }
    for (Generation old : after.subList(Math.min(2, after.size()), after.size())) {
      remove(old.id());
    }
    return wanted;
  }

  @Override
  public void release(String stack, String name, String holder) {
    List<Generation> generations = read(stack, name);
    if (!generations.isEmpty() && generations.get(0).lease().holder().equals(holder)) {
      // Removing the newest generation hands the lease to whoever writes the next one; the older
      // generation left behind is expired or ours, so it blocks no one.
      for (Generation g : generations) {
        remove(g.id());
      }
    }
  }

  /**
   * The holder of generation {@code generation}, which another process just created. The engine
   * reserves a container's name before the container shows in its list, so wait a moment for it.
   */
  private Lease winner(String stack, String name, long generation, Instant now) {
    for (int attempt = 0; attempt < 40; attempt++) {
      List<Generation> generations = read(stack, name);
      if (!generations.isEmpty() && generations.get(0).number() >= generation) {
        return generations.get(0).lease();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return current(stack, name, now);
  }

  private Lease current(String stack, String name, Instant now) {
    return read(stack, name).stream()
        .findFirst()
        .map(Generation::lease)
        .orElse(LeaseLabels.nobody(now));
  }

  private String create(
      String stack, String name, long generation, Lease lease, List<Generation> known) {
    ObjectNode body = engine.mapper().createObjectNode();
    body.put("Image", image(stack, known));
    body.putArray("Cmd").add("stackwright-lease");
    ObjectNode labels = body.putObject("Labels");
    labels.put(LEASE, stack + "/" + name);
    LeaseLabels.write(labels, lease);
    labels.put(GENERATION, Long.toString(generation));
    String container = stack + "-stackwright-lease-" + name + "-" + generation;
    JsonNode answer =
        engine.post(
            "creating lease " + container,
            Engine.path("/containers/create", Map.of("name", container)),
            body);
    return answer.path("Id").asText();
  }

  /**
   * An image the engine has, for a container that is never started: one of the stack's own, or any.
   */
  private String image(String stack, List<Generation> known) {
    String filters = engine.filters(Map.of("label", List.of(ComposeNames.PROJECT + "=" + stack)));
    JsonNode containers =
        engine.get(
            "listing containers of " + stack,
            Engine.path("/containers/json", Map.of("all", "true", "filters", filters)));
    for (JsonNode c : containers) {
      if (!c.path("ImageID").asText().isEmpty()) {
        return c.path("ImageID").asText();
      }
    }
    JsonNode images = engine.get("listing images", "/images/json");
    for (JsonNode i : images) {
      return i.path("Id").asText();
    }
    throw new PlatformException(
        "cannot keep a lease for "
            + stack
            + ": the engine has no image to create its container from",
        false);
  }

  /** The stack's lease generations, newest first. */
  private List<Generation> read(String stack, String name) {
    String filters = engine.filters(Map.of("label", List.of(LEASE + "=" + stack + "/" + name)));
    JsonNode containers =
        engine.get(
            "reading lease " + name + " of " + stack,
            Engine.path("/containers/json", Map.of("all", "true", "filters", filters)));
    List<Generation> out = new ArrayList<>();
    for (JsonNode c : containers) {
      JsonNode labels = c.path("Labels");
      Optional<Lease> lease = LeaseLabels.read(labels);
      long number;
      try {
        number = Long.parseLong(labels.path(GENERATION).asText());
      } catch (NumberFormatException e) {
        continue;
      }
      if (lease.isPresent()) {
        out.add(new Generation(c.path("Id").asText(), number, lease.get()));
      }
    }
    out.sort(Comparator.comparingLong(Generation::number).reversed());
    return out;
  }

  /**
   * Removes every lease of {@code stack}, whoever holds it: the stack is being removed, and a later
   * stack of the same name must not find its leases.
   */
  public int removeAll(String stack) {
    String filters = engine.filters(Map.of("label", List.of(LEASE)));
    JsonNode containers =
        engine.get(
            "listing leases of " + stack,
            Engine.path("/containers/json", Map.of("all", "true", "filters", filters)));
    int removed = 0;
    for (JsonNode c : containers) {
      if (c.path("Labels").path(LEASE).asText().startsWith(stack + "/")) {
        remove(c.path("Id").asText());
        removed++;
      }
    }
    return removed;
  }

  private void remove(String id) {
    engine.delete("removing lease container " + id, "/containers/" + id + "?force=true");
  }
}
