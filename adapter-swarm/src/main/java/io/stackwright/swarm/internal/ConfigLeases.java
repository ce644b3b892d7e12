package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.ConflictException;
import io.stackwright.api.spi.Lease;
import io.stackwright.docker.internal.Engine;
import io.stackwright.docker.internal.lease.EngineLeases;
import io.stackwright.docker.internal.lease.LeaseLabels;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Leases kept in the swarm as config objects ({@code <stack>_stackwright-lease-<name>}) whose
 * labels name the holder and the expiry. Creating a config whose name exists fails, and updating
 * one checks its version index, so of several processes racing to take or renew a lease exactly one
 * wins; the others read the winner. The config carries the stack namespace label, so removing the
 * stack (here or by {@code docker stack rm}) removes it too; the stack's plan ignores it (it is no
 * config of the spec). Releasing the lease removes it.
 */
public final class ConfigLeases extends EngineLeases {
  static final String STACK = "io.stackwright.lease.stack";

  private record Stored(String id, long version, Lease lease) {}

  public ConfigLeases(Engine engine, Clock clock) {
    super(engine, clock);
  }

  @Override
  public Lease acquire(String stack, String name, String holder, Duration ttl) {
    String config = configName(stack, name);
    Instant now = clock.instant();
    Lease wanted = new Lease(holder, now.plus(ttl));
    Optional<Stored> current = read(config);
    try {
      if (current.isEmpty()) {
        engine.post("creating lease " + config, "/configs/create", spec(config, stack, wanted));
        return wanted;
      }
      Lease lease = current.get().lease();
      if (LeaseLabels.heldByAnother(lease, holder, now)) {
        return lease;
      }
      engine.post(
          "renewing lease " + config,
          "/configs/" + current.get().id() + "/update?version=" + current.get().version(),
          spec(config, stack, wanted));
      return wanted;
    } catch (ConflictException e) {
      // Another process created or renewed it first: it holds the lease now.
      return read(config).map(Stored::lease).orElse(LeaseLabels.nobody(now));
    }
  }

  @Override
  public void release(String stack, String name, String holder) {
    String config = configName(stack, name);
    Optional<Stored> current = read(config);
    if (current.isEmpty() || !current.get().lease().holder().equals(holder)) {
      return;
    }
    try {
      // Expire it first, checking the version, so a lease taken over meanwhile is never deleted.
      engine.post(
          "releasing lease " + config,
          "/configs/" + current.get().id() + "/update?version=" + current.get().version(),
          spec(config, stack, new Lease(holder, Instant.EPOCH)));
      Optional<Stored> expired = read(config);
      if (expired.isPresent()
          && expired.get().lease().holder().equals(holder)
          && !expired.get().lease().expiresAt().isAfter(Instant.EPOCH)) {
        engine.run(
            "removing lease " + config,
            () -> engine.docker().removeConfigCmd(expired.get().id()).exec());
      }
    } catch (ConflictException e) {
      // Taken over meanwhile: it is not ours to remove.
    }
  }

  static String configName(String stack, String name) {
    return stack + "_stackwright-lease-" + name;
  }

  private Optional<Stored> read(String config) {
    String filters = "{\"name\":[\"" + config + "\"]}";
    JsonNode list =
        engine.get(
            "reading lease " + config,
            "/configs?filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8));
    for (JsonNode c : list) {
      JsonNode spec = c.path("Spec");
      if (config.equals(spec.path("Name").asText())) {
        JsonNode labels = spec.path("Labels");
        // An unreadable expiry counts as expired: whoever asks next may take the lease.
        Lease lease =
            LeaseLabels.read(labels)
                .orElseGet(
                    () -> new Lease(labels.path(LeaseLabels.HOLDER).asText(""), Instant.EPOCH));
        return Optional.of(
            new Stored(c.path("ID").asText(), c.path("Version").path("Index").asLong(), lease));
      }
    }
    return Optional.empty();
  }

  private ObjectNode spec(String config, String stack, Lease lease) {
    ObjectNode spec = engine.mapper().createObjectNode();
    spec.put("Name", config);
    ObjectNode labels = spec.putObject("Labels");
    labels.put(STACK, stack);
    labels.put(StackNames.NAMESPACE, stack);
    LeaseLabels.write(labels, lease);
    spec.put(
        "Data",
        Base64.getEncoder().encodeToString("stackwright lease".getBytes(StandardCharsets.UTF_8)));
    return spec;
  }
}
