package io.stackwright.api.health;

import java.time.Instant;
import java.util.Objects;

/**
 * What the health monitor knows about one replica right now.
 *
 * @param service the service key
 * @param replicaId the platform's id of the replica (task or container)
 * @param slot its slot or container number
 * @param address where probes reach it, or {@code null} when they cannot (probes then fall back to
 *     the engine's HEALTHCHECK verdict)
 * @param started whether its startup probe passed (true when it has none)
 * @param live whether its liveness probe passes (true when it has none)
 * @param ready whether its readiness probe passes (true when it has none, false until known)
 * @param lastDetail the latest probe result's detail
 * @param lastProbeAt when it was last probed, or {@code null}
 */
public record ReplicaHealth(
    String service,
    String replicaId,
    int slot,
    String address,
    boolean started,
    boolean live,
    boolean ready,
    String lastDetail,
    Instant lastProbeAt) {
  public ReplicaHealth {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(replicaId, "replicaId");
    lastDetail = Objects.requireNonNullElse(lastDetail, "");
  }
}
