package io.stackwright.core.rollout.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.spi.StateStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revision history of each stack: every deployment gets the next number, and its outcome and
 * images are appended to the {@link StateStore} (namespace {@value #NAMESPACE}, key {@code
 * <stack>}), so that people and a restarted host see what ran when. The full spec of the last
 * revision that was fully healthy is kept in memory only: a spec holds secret contents, which must
 * not land in a store that may be a plain file. A host that restarts therefore knows the history
 * but cannot roll back further than the platform's own previous spec until one deployment succeeds.
 */
public final class Revisions {
  private static final Logger LOG = LoggerFactory.getLogger(Revisions.class);
  static final String NAMESPACE = "revisions";
  static final int KEEP = 50;

  private final StateStore store;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Revision> lastHealthy = new ConcurrentHashMap<>();

  /** One revision of a stack that converged and passed verification. */
  public record Revision(int number, StackSpec spec) {}

  public Revisions(StateStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The number the next deployment of {@code stack} gets. */
  public synchronized int next(String stack) {
    List<String> newest = store.history(NAMESPACE, stack, 1);
    if (newest.isEmpty()) {
      return 1;
    }
    try {
      return json.readTree(newest.get(0)).path("revision").asInt(0) + 1;
    } catch (Exception e) {
      LOG.warn("Unreadable revision record of {}; numbering restarts", stack, e);
      return 1;
    }
  }

  public Optional<Revision> lastHealthy(String stack) {
    return Optional.ofNullable(lastHealthy.get(stack));
  }

  /**
   * Appends how revision {@code number} of {@code spec} ended; a success makes it the stack's last
   * healthy revision.
   */
  public synchronized void record(int number, StackSpec spec, Outcome outcome, String message) {
    if (outcome == Outcome.SUCCEEDED) {
      lastHealthy.put(spec.name(), new Revision(number, spec));
    }
    ObjectNode record = json.createObjectNode();
    record.put("revision", number);
    record.put("at", clock.instant().toString());
    record.put("outcome", outcome.name());
    record.put("message", message);
    ObjectNode images = record.putObject("images");
    for (ServiceSpec service : spec.services().values()) {
      images.put(service.name(), service.image());
    }
    store.append(NAMESPACE, spec.name(), record.toString(), KEEP);
  }

  /** Forgets every revision of the stack, in memory and in the store. */
  public synchronized void forget(String stack) {
    lastHealthy.remove(stack);
    store.delete(NAMESPACE, stack);
  }

  /** The stored records of {@code stack}, oldest first. */
  public List<JsonNode> history(String stack, int limit) {
    return store.history(NAMESPACE, stack, limit).stream().map(this::parse).toList();
  }

  private JsonNode parse(String record) {
    try {
      return json.readTree(record);
    } catch (Exception e) {
      return json.createObjectNode().put("unreadable", record.length() + " characters");
    }
  }
}
