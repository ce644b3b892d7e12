package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Network;
import io.stackwright.docker.internal.Engine;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One read of what a stack has on the engine: its services (by the namespace label), and every
 * network, secret and config (needed to map ids to names, to find external resources and to detect
 * name collisions). Reads only.
 *
 * <p>Services are kept as JSON trees taken from docker-java's objects: docker-java keeps every
 * field the engine sent, including those its model lacks, so the tree is the engine's full answer.
 */
public final class LiveStack {

  /** A service of the stack. */
  public record LiveService(String id, String name, long version, JsonNode tree) {
    public JsonNode spec() {
      return tree.path("Spec");
    }

    public JsonNode previousSpec() {
      return tree.path("PreviousSpec");
    }

    public Map<String, String> labels() {
      return LiveStack.labels(spec().path("Labels"));
    }

    /** When the engine last wrote the service ({@code UpdatedAt}), or null when it does not say. */
    public Instant updatedAt() {
      return LiveStack.updatedAt(tree);
    }
  }

  /**
   * A secret or a config. {@code data} is the base64 content (configs only); {@code updatedAt} when
   * the engine last wrote it (its {@code UpdatedAt}, else {@code CreatedAt}), or null.
   */
  public record LiveFile(
      String id,
      String name,
      long version,
      Map<String, String> labels,
      String data,
      Instant updatedAt) {
    public boolean inNamespace(String stack) {
      return stack.equals(labels.get(StackNames.NAMESPACE));
    }
  }

  /** A network. */
  public record LiveNetwork(String id, String name, String scope, Map<String, String> labels) {
    public boolean inNamespace(String stack) {
      return stack.equals(labels.get(StackNames.NAMESPACE));
    }
  }

  private final String stack;
  private final List<LiveService> services;
  private final List<LiveNetwork> networks;
  private final List<LiveFile> secrets;
  private final List<LiveFile> configs;

  LiveStack(
      String stack,
      List<LiveService> services,
      List<LiveNetwork> networks,
      List<LiveFile> secrets,
      List<LiveFile> configs) {
    this.stack = stack;
    this.services = List.copyOf(services);
    this.networks = List.copyOf(networks);
    this.secrets = List.copyOf(secrets);
    this.configs = List.copyOf(configs);
  }

  public static LiveStack read(Engine engine, String stack) {
    return new LiveStack(
        stack, services(engine, stack), networks(engine), secrets(engine), configs(engine));
  }

  /**
   * The stack's services as the engine answers (raw JSON: read on every poll of a deployment, and
   * parsing into docker-java's model and back into a tree cost most of a deploying JVM's CPU).
   */
  public static List<LiveService> services(Engine engine, String stack) {
    List<JsonNode> services =
        engine.getList(
            "listing the services of stack " + stack,
            Engine.path(
                "/services",
                Map.of(
                    "filters",
                    engine.filters(Map.of("label", List.of(StackNames.NAMESPACE + "=" + stack))))));
    List<LiveService> result = new ArrayList<>();
    for (JsonNode tree : services) {
      result.add(
          new LiveService(
              tree.path("ID").asText(),
              tree.path("Spec").path("Name").asText(),
              tree.path("Version").path("Index").asLong(),
              tree));
    }
    result.sort(Comparator.comparing(LiveService::name));
    return result;
  }

  public static List<LiveNetwork> networks(Engine engine) {
    List<Network> networks =
        engine.call("listing networks", () -> engine.docker().listNetworksCmd().exec());
    List<LiveNetwork> result = new ArrayList<>();
    for (Network n : networks) {
      result.add(
          new LiveNetwork(
              n.getId(),
              n.getName(),
              n.getScope(),
              n.getLabels() == null ? Map.of() : new TreeMap<>(n.getLabels())));
    }
    return result;
  }

  public static List<LiveFile> secrets(Engine engine) {
    List<LiveFile> result = new ArrayList<>();
    for (JsonNode s : engine.getList("listing secrets", "/secrets")) {
      result.add(file(s, false));
    }
    return result;
  }

  public static List<LiveFile> configs(Engine engine) {
    // raw and unlogged: the answer holds every config's data
    JsonNode configs = engine.getSensitive("listing configs", "/configs");
    List<LiveFile> result = new ArrayList<>();
    if (configs != null) {
      for (JsonNode c : configs) {
        result.add(file(c, true));
      }
    }
    return result;
  }

  private static LiveFile file(JsonNode tree, boolean withData) {
    JsonNode spec = tree.path("Spec");
    return new LiveFile(
        tree.path("ID").asText(),
        spec.path("Name").asText(),
        tree.path("Version").path("Index").asLong(),
        labels(spec.path("Labels")),
        withData && spec.hasNonNull("Data") ? spec.get("Data").asText() : null,
        updatedAt(tree));
  }

  /**
   * An object's {@code UpdatedAt} (else its {@code CreatedAt}), RFC 3339 with up to nanoseconds;
   * null when the engine sent neither or something unreadable (a time is information, never a
   * reason for a plan to fail).
   */
  static Instant updatedAt(JsonNode tree) {
    String text = tree.path("UpdatedAt").asText("");
    if (text.isEmpty()) {
      text = tree.path("CreatedAt").asText("");
    }
    if (text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static Map<String, String> labels(JsonNode labels) {
    Map<String, String> result = new TreeMap<>();
    if (labels != null && labels.isObject()) {
      labels.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    }
    return result;
  }

  public String stack() {
    return stack;
  }

  public List<LiveService> services() {
    return services;
  }

  public List<LiveNetwork> networks() {
    return networks;
  }

  public List<LiveFile> secrets() {
    return secrets;
  }

  public List<LiveFile> configs() {
    return configs;
  }

  public Optional<LiveService> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** A network's name by id; the id itself when unknown. */
  public String networkName(String idOrName) {
    for (LiveNetwork n : networks) {
      if (n.id().equals(idOrName)) {
        return n.name();
      }
    }
    return idOrName;
  }

  /** The network with this name: the stack's own when several share it. */
  public Optional<LiveNetwork> network(String name) {
    return networks.stream()
        .filter(n -> n.name().equals(name))
        .min(Comparator.comparing(n -> n.inNamespace(stack) ? 0 : 1));
  }

  public List<LiveNetwork> stackNetworks() {
    return networks.stream().filter(n -> n.inNamespace(stack)).toList();
  }

  public List<LiveFile> stackSecrets() {
    return secrets.stream().filter(s -> s.inNamespace(stack)).toList();
  }

  /** The stack's configs, leases aside (they are no config of the spec; removal takes them). */
  public List<LiveFile> stackConfigs() {
    return configs.stream()
        .filter(s -> s.inNamespace(stack))
        .filter(s -> !s.labels().containsKey(ConfigLeases.STACK))
        .toList();
  }
}
