package io.stackwright.core.health.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.health.RecoveryPolicy;
import io.stackwright.api.spi.StateStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's state as one JSON document per stack in the state store ({@code health/<stack>}):
 * per service the failures in the window, the backoff and the crash loop; per replica whether it
 * started and was ready; the failures already counted and the replicas already replaced. Enough for
 * a restarted host to resume without alerting twice or replacing a replica twice.
 */
final class HealthStateCodec {
  private static final Logger LOG = LoggerFactory.getLogger(HealthStateCodec.class);

  static final String NAMESPACE = "health";

  /** Bounds the remembered ids, so that the document does not grow for ever. */
  static final int MAX_IDS = 500;

  private static final ObjectMapper JSON = new ObjectMapper();

  record SavedService(
      List<Instant> failures, Duration delay, Instant notBefore, boolean crashLoop) {
    RecoveryTracker toTracker(RecoveryPolicy policy) {
      Duration restoredDelay =
          delay.compareTo(policy.initialBackoff()) < 0 || delay.compareTo(policy.maxBackoff()) > 0
              ? policy.initialBackoff()
              : delay;
      return new RecoveryTracker(policy, failures, restoredDelay, notBefore, crashLoop);
    }
  }

  record SavedReplica(String service, boolean started, boolean ready) {}

  record Saved(
      Map<String, SavedService> services,
      Map<String, SavedReplica> replicas,
      List<String> seenFailures,
      List<String> replaced) {
    static final Saved EMPTY = new Saved(Map.of(), Map.of(), List.of(), List.of());
  }

  private final StateStore store;
  private final String stack;

  HealthStateCodec(StateStore store, String stack) {
    this.store = store;
    this.stack = stack;
  }

  String encode(
      Map<String, RecoveryTracker> recovery,
      Map<String, ReplicaTracker> replicas,
      Map<String, Boolean> ready,
      Set<String> seenFailures,
      Set<String> replaced,
      Instant now) {
    ObjectNode root = JSON.createObjectNode();
    root.put("savedAt", now.toString());
    ObjectNode services = root.putObject("services");
    recovery.forEach(
        (name, tracker) -> {
          ObjectNode s = services.putObject(name);
          ArrayNode failures = s.putArray("failures");
          tracker.failures().forEach(f -> failures.add(f.toString()));
          s.put("delayMillis", tracker.delay().toMillis());
          if (!tracker.notBefore().equals(Instant.MIN)) {
            s.put("notBefore", tracker.notBefore().toString());
          }
          s.put("crashLoop", tracker.inCrashLoop());
        });
    ObjectNode replicaNodes = root.putObject("replicas");
    replicas.forEach(
        (id, tracker) -> {
          ObjectNode r = replicaNodes.putObject(id);
          r.put("service", tracker.service);
          r.put("started", tracker.started);
          r.put("ready", Boolean.TRUE.equals(ready.get(id)));
        });
    ArrayNode seen = root.putArray("seenFailures");
    last(seenFailures).forEach(seen::add);
    ArrayNode gone = root.putArray("replaced");
    last(replaced).forEach(gone::add);
    return root.toString();
  }

  private static List<String> last(Set<String> ids) {
    List<String> all = new ArrayList<>(ids);
    return all.subList(Math.max(0, all.size() - MAX_IDS), all.size());
  }

  void save(String document) {
    try {
      store.put(NAMESPACE, stack, document);
    } catch (RuntimeException e) {
      LOG.warn("Cannot save the health state of {}: {}", stack, e.getMessage());
    }
  }

  Saved load() {
    String document = store.get(NAMESPACE, stack).orElse(null);
    if (document == null) {
      return Saved.EMPTY;
    }
    try {
      JsonNode root = JSON.readTree(document);
      Map<String, SavedService> services = new HashMap<>();
      root.path("services")
          .fields()
          .forEachRemaining(
              e -> {
                JsonNode s = e.getValue();
                List<Instant> failures = new ArrayList<>();
                s.path("failures").forEach(f -> failures.add(Instant.parse(f.asText())));
                Instant notBefore =
                    s.hasNonNull("notBefore")
                        ? Instant.parse(s.get("notBefore").asText())
                        : Instant.MIN;
                services.put(
                    e.getKey(),
                    new SavedService(
                        failures,
                        Duration.ofMillis(s.path("delayMillis").asLong(1000)),
                        notBefore,
                        s.path("crashLoop").asBoolean(false)));
              });
      Map<String, SavedReplica> replicas = new HashMap<>();
      root.path("replicas")
          .fields()
          .forEachRemaining(
              e ->
                  replicas.put(
                      e.getKey(),
                      new SavedReplica(
                          e.getValue().path("service").asText(),
                          e.getValue().path("started").asBoolean(false),
                          e.getValue().path("ready").asBoolean(false))));
      List<String> seen = new ArrayList<>();
      root.path("seenFailures").forEach(n -> seen.add(n.asText()));
      List<String> replaced = new ArrayList<>();
      root.path("replaced").forEach(n -> replaced.add(n.asText()));
      return new Saved(services, replicas, seen, replaced);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "The saved health state of {} is unreadable and is ignored: {}", stack, e.getMessage());
      return Saved.EMPTY;
    }
  }
}
