package io.stackwright.traefik;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UnsupportedFeatureException;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.routing.Route;
import io.stackwright.api.spi.Router;
import io.stackwright.traefik.internal.DynamicConfig;
import io.stackwright.traefik.internal.Labels;
import io.stackwright.traefik.internal.RoutingChecks;
import io.stackwright.traefik.internal.TraefikNames;
import io.stackwright.traefik.internal.UserLabels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes a stack's services through Traefik v3. One router publishes through one {@link
 * TraefikProvider}:
 *
 * <ul>
 *   <li>{@link TraefikProvider#SWARM} / {@link TraefikProvider#DOCKER}: {@link #prepare} adds
 *       {@code traefik.*} labels to the services (Swarm service labels, or container labels on a
 *       single engine), with the network and port Traefik must use. The user's own {@code
 *       traefik.*} labels are kept and win over generated ones. Traefik cannot define weighted
 *       services in labels: with a {@linkplain Builder#directory directory}, weighted routes point
 *       at a {@code -split@file} service written there, which references the label-defined services
 *       as {@code name@swarm} / {@code name@docker}; a weight target without routes of its own is
 *       defined there too (by its DNS name), never by labels, since Traefik would give it a default
 *       router that bypasses the route's middlewares.
 *   <li>{@link TraefikProvider#FILE}: {@link #publish} writes {@code <directory>/<stack>.yml}
 *       atomically (a temporary file moved over the old one), so Traefik never reads half a file.
 *   <li>{@link TraefikProvider#HTTP}: {@link #publish} updates the JSON document that {@link
 *       #httpDocument()} returns and {@link TraefikHttpEndpoint} serves.
 * </ul>
 *
 * File and HTTP documents list servers by URL: {@code http://<service>:<port>} (the service's DNS
 * name on its network) until the health monitor reports replica readiness, then the ready replicas'
 * addresses, so that an unready replica leaves the rotation. Thread-safe.
 */
public final class TraefikRouter implements Router {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .build());

  private final TraefikProvider provider;
  private final Path directory;
  private final boolean requireTls;
  private final Clock clock;
  private final Map<String, StackSpec> published = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Map<String, Integer>>> weights = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Map<String, Boolean>>> readiness =
      new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> documents = new ConcurrentHashMap<>();

  private TraefikRouter(Builder builder) {
    this.provider = builder.provider;
    this.directory = builder.directory;
    this.requireTls = builder.requireTls;
    this.clock = builder.clock;
    if (provider == TraefikProvider.FILE && directory == null) {
      throw new IllegalArgumentException("the file provider needs a directory");
    }
  }

  /** Labels on Swarm services. */
  public static TraefikRouter swarmLabels() {
    return builder(TraefikProvider.SWARM).build();
  }

  /** Labels on containers of a single engine. */
  public static TraefikRouter dockerLabels() {
    return builder(TraefikProvider.DOCKER).build();
  }

  /** YAML files in {@code directory}, one per stack. */
  public static TraefikRouter file(Path directory) {
    return builder(TraefikProvider.FILE).directory(directory).build();
  }

  /** A JSON document for Traefik's HTTP provider; serve it with {@link TraefikHttpEndpoint}. */
  public static TraefikRouter http() {
    return builder(TraefikProvider.HTTP).build();
  }

  public static Builder builder(TraefikProvider provider) {
    return new Builder(provider);
  }

  @Override
  public String name() {
    return "traefik";
  }

  public TraefikProvider provider() {
    return provider;
  }

  @Override
  public List<SpecProblem> validate(StackSpec stack) {
    List<SpecProblem> problems = new java.util.ArrayList<>(checks(stack).problems());
    if (problems.isEmpty() && !provider.usesLabels() && UserLabels.present(stack)) {
      withUserLabels(stack, listed(stack), problems);
    }
    return problems;
  }

  private Map<String, Object> listed(StackSpec stack) {
    return DynamicConfig.build(
        stack, checks(stack).targets(), DynamicConfig.Servers.LISTED, live(stack.name()));
  }

  /** The generated document with the user's own {@code traefik.http.*} labels merged in. */
  private Map<String, Object> withUserLabels(
      StackSpec stack, Map<String, Object> generated, List<SpecProblem> problems) {
    UserLabels.Decoded decoded = UserLabels.decode(stack, live(stack.name()));
    problems.addAll(decoded.problems());
    return UserLabels.merge(stack, generated, decoded, problems);
  }

  @Override
  public StackSpec prepare(StackSpec stack) {
    if (!provider.usesLabels()) {
      return stack;
    }
    Map<String, Map<String, String>> labels = labels(stack);
    if (labels.isEmpty()) {
      return stack;
    }
    StackSpec.Builder prepared = stack.toBuilder();
    labels.forEach(
        (key, generated) -> {
          ServiceSpec service = stack.service(key);
          Map<String, String> existing =
              provider == TraefikProvider.SWARM ? service.deployLabels() : service.labels();
          ServiceSpec.Builder changed = service.toBuilder();
          generated.forEach(
              (label, value) -> {
                if (!existing.containsKey(label)) {
                  if (provider == TraefikProvider.SWARM) {
                    changed.deployLabel(label, value);
                  } else {
                    changed.label(label, value);
                  }
                }
              });
          prepared.service(changed.build());
        });
    return prepared.build();
  }

  /**
   * The labels this router gives each service of {@code stack} ({@code service key -> labels}),
   * before the user's own {@code traefik.*} labels are merged in; empty for file and HTTP
   * providers.
   */
  public Map<String, Map<String, String>> labels(StackSpec stack) {
    if (!provider.usesLabels()) {
      return Map.of();
    }
    Map<String, RoutingChecks.Target> targets = checks(stack).targets();
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    targets.forEach(
        (key, target) -> {
          if (!target.service().routing().isRouted()) {
            return; // a weight target without routes is defined in the file provider
          }
          Map<String, String> labels = new TreeMap<>();
          labels.put("traefik.enable", "true");
          labels.put("traefik." + provider.traefikName() + ".network", target.network());
          labels.putAll(
              Labels.flatten(
                  DynamicConfig.build(
                      stack,
                      targets,
                      DynamicConfig.Servers.DISCOVERED,
                      live(stack.name()),
                      key::equals)));
          out.put(key, labels);
        });
    return out;
  }

  /**
   * The dynamic configuration of {@code stack} as a tree: for the file and HTTP providers the whole
   * document; for label providers the weighted services they need from the file provider (empty
   * when no route is weighted).
   */
  public Map<String, Object> dynamicConfiguration(StackSpec stack) {
    Map<String, RoutingChecks.Target> targets = checks(stack).targets();
    if (provider.usesLabels()) {
      return DynamicConfig.weightedServices(
          stack, targets, provider.traefikName(), live(stack.name()));
    }
    Map<String, Object> generated =
        DynamicConfig.build(stack, targets, DynamicConfig.Servers.LISTED, live(stack.name()));
    if (!UserLabels.present(stack)) {
      return generated;
    }
    List<SpecProblem> problems = new java.util.ArrayList<>();
    Map<String, Object> merged = withUserLabels(stack, generated, problems);
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    return merged;
  }

  /**
   * The dynamic configuration of {@code stack} as text: YAML for the file provider, JSON for the
   * HTTP provider, {@code service: label=value} lines for label providers (followed by the weighted
   * services' YAML, if any).
   */
  public String render(StackSpec stack) {
    try {
      switch (provider) {
        case FILE:
          return YAML.writeValueAsString(dynamicConfiguration(stack));
        case HTTP:
          return JSON.writeValueAsString(dynamicConfiguration(stack)) + "\n";
        default:
          StringBuilder out = new StringBuilder();
          StackSpec prepared = prepare(stack);
          labels(stack)
              .keySet()
              .forEach(
                  service -> {
                    ServiceSpec spec = prepared.service(service);
                    out.append(service).append(":\n");
                    (provider == TraefikProvider.SWARM ? spec.deployLabels() : spec.labels())
                        .forEach(
                            (k, v) -> {
                              if (k.startsWith(Labels.PREFIX)) {
                                out.append("  ").append(k).append('=').append(v).append('\n');
                              }
                            });
                  });
          Map<String, Object> weighted = dynamicConfiguration(stack);
          if (!weighted.isEmpty()) {
            out.append("# file provider (weighted services)\n")
                .append(YAML.writeValueAsString(weighted));
          }
          return out.toString();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void publish(StackSpec stack, EventListener events) {
    Map<String, Object> document = dynamicConfiguration(stack);
    published.put(stack.name(), stack);
    write(stack.name(), document);
    int routes =
        stack.services().values().stream().mapToInt(s -> s.routing().routes().size()).sum();
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack.name(),
            null,
            routes + " routes published through Traefik's " + provider.traefikName() + " provider",
            new EventDetail.RoutesPublished(provider.traefikName(), routes)));
  }

  @Override
  public void setWeights(
      String stack, String route, Map<String, Integer> split, EventListener events) {
    StackSpec spec = published.get(stack);
    if (spec == null) {
      throw new NotFoundException("no routes of stack " + stack + " were published by this router");
    }
    ServiceSpec owner = null;
    Route found = null;
    List<String> keys = new ArrayList<>();
    for (ServiceSpec service : spec.services().values()) {
      for (Route r : service.routing().routes()) {
        String key = TraefikNames.routeKey(service, r);
        keys.add(key);
        if (key.equals(route) || r.name().equals(route)) {
          if (found != null) {
            throw new InvalidSpecException(
                SpecProblem.at(route, "route name is ambiguous; name it as service/route"));
          }
          owner = service;
          found = r;
        }
      }
    }
    if (found == null) {
      ServiceSpec named = spec.services().get(route);
      if (named != null && !named.routing().routes().isEmpty()) {
        // A service's name splits every route of the service (how rollout strategies ask).
        for (Route r : named.routing().routes()) {
          setWeights(stack, TraefikNames.routeKey(named, r), split, events);
        }
        return;
      }
      throw new NotFoundException(
          "stack " + stack + " has no route or routed service '" + route + "'; it has " + keys);
    }
    String copyPrefix = owner.name() + "-";
    List<SpecProblem> problems = new ArrayList<>();
    split.forEach(
        (service, weight) -> {
          if (!spec.services().containsKey(service) && !service.startsWith(copyPrefix)) {
            problems.add(
                SpecProblem.at(
                    route + ".weights." + service,
                    "no such service (a copy of the route's service must be named "
                        + copyPrefix
                        + "...)"));
          } else if (weight == null || weight < 0) {
            problems.add(SpecProblem.at(route + ".weights." + service, "weight must be 0 or more"));
          }
        });
    if (split.isEmpty() || split.values().stream().allMatch(w -> w != null && w == 0)) {
      problems.add(SpecProblem.at(route + ".weights", "at least one weight must be above 0"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    if (provider.usesLabels() && !DynamicConfig.splits(owner, found)) {
      throw new UnsupportedFeatureException(
          "route "
              + route
              + " of stack "
              + stack
              + " was deployed with labels pointing at one service; declare weights on the route"
              + " (and redeploy) before shifting its traffic");
    }
    Map<String, Integer> copy = new TreeMap<>(split);
    String key = TraefikNames.routeKey(owner, found);
    Map<String, Map<String, Integer>> stackWeights =
        weights.computeIfAbsent(stack, s -> new ConcurrentHashMap<>());
    Map<String, Integer> previous = stackWeights.put(key, copy);
    try {
      write(stack, dynamicConfiguration(spec));
    } catch (RuntimeException e) {
      if (previous == null) {
        stackWeights.remove(key);
      } else {
        stackWeights.put(key, previous);
      }
      throw e;
    }
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack,
            owner.name(),
            "route " + key + " split " + copy,
            new EventDetail.TrafficShifted(owner.name(), key, copy)));
  }

  @Override
  public void readinessChanged(String stack, String service, String address, boolean ready) {
    if (provider.usesLabels()) {
      return; // Traefik follows the containers' own health status with labels.
    }
    readiness
        .computeIfAbsent(stack, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(service, s -> new ConcurrentHashMap<>())
        .put(address, ready);
    StackSpec spec = published.get(stack);
    if (spec != null) {
      write(stack, dynamicConfiguration(spec));
    }
  }

  @Override
  public void withdraw(String stack, EventListener events) {
    boolean had = published.remove(stack) != null;
    weights.remove(stack);
    readiness.remove(stack);
    documents.remove(stack);
    if (directory != null) {
      try {
        Files.deleteIfExists(directory.resolve(stack + ".yml"));
      } catch (IOException e) {
        throw new PlatformException(
            "could not delete the Traefik file of stack " + stack + " in " + directory, true, e);
      }
    }
    if (had) {
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack,
              null,
              "routes withdrawn from Traefik's " + provider.traefikName() + " provider",
              new EventDetail.RoutesPublished(provider.traefikName(), 0)));
    }
  }

  /**
   * The HTTP provider's document: the dynamic configuration of every stack published, merged (the
   * names of all objects start with their stack's, so they never clash).
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> httpDocument() {
    Map<String, Object> merged = new TreeMap<>();
    documents.values().stream()
        .map(d -> (Map<String, Object>) d.get("http"))
        .filter(Objects::nonNull)
        .forEach(
            http ->
                http.forEach(
                    (section, objects) ->
                        ((Map<String, Object>)
                                merged.computeIfAbsent(section, s -> new TreeMap<>()))
                            .putAll((Map<String, Object>) objects)));
    return merged.isEmpty() ? Map.of() : Map.of("http", merged);
  }

  /** {@link #httpDocument()} as JSON. */
  public String httpDocumentJson() {
    try {
      return JSON.writeValueAsString(httpDocument());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RoutingChecks checks(StackSpec stack) {
    return RoutingChecks.check(stack, requireTls, !provider.usesLabels() || directory != null);
  }

  private void write(String stack, Map<String, Object> document) {
    documents.put(stack, document);
    if (directory == null || provider == TraefikProvider.HTTP) {
      return;
    }
    Path target = directory.resolve(stack + ".yml");
    try {
      if (document.isEmpty()) {
        Files.deleteIfExists(target);
        return;
      }
      Files.createDirectories(directory);
      // Traefik watches the directory: it must see the old file or the new one, never a partial
      // write, and it ignores the temporary file (not .yml).
      Path temporary = Files.createTempFile(directory, "." + stack + "-", ".tmp");
      try {
        Files.writeString(temporary, YAML.writeValueAsString(document), StandardCharsets.UTF_8);
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new PlatformException(
          "could not write the Traefik file of stack " + stack + " to " + target, true, e);
    }
  }

  private DynamicConfig.Live live(String stack) {
    Map<String, Map<String, Integer>> set = weights.getOrDefault(stack, Map.of());
    Map<String, Map<String, Boolean>> ready = readiness.getOrDefault(stack, Map.of());
    return new DynamicConfig.Live() {
      @Override
      public Map<String, Integer> weights(String routeKey) {
        return set.get(routeKey);
      }

      @Override
      public List<String> readyAddresses(String service) {
        Map<String, Boolean> replicas = ready.get(service);
        if (replicas == null) {
          return null;
        }
        return replicas.entrySet().stream()
            .filter(Map.Entry::getValue)
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
      }
    };
  }

  /** Configures a {@link TraefikRouter}. */
  public static final class Builder {
    private final TraefikProvider provider;
    private Path directory;
    private boolean requireTls;
    private Clock clock = Clock.systemUTC();

    private Builder(TraefikProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
    }

    /**
     * The file provider's directory; for label providers, where weighted services are written
     * (Traefik's file provider must watch it too).
     */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /**
     * Refuse any route without TLS (also demanded by the stack's {@code
     * x-stackwright.routing.require_tls}).
     */
    public Builder requireTls(boolean requireTls) {
      this.requireTls = requireTls;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public TraefikRouter build() {
      return new TraefikRouter(this);
    }
  }
}
