package io.stackwright.testing;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.routing.Route;
import io.stackwright.api.spi.Router;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A {@link Router} that routes nothing and remembers everything it was asked, in order, so a test
 * can check what a deployment, a rollout or the health monitor did with the traffic. It keeps the
 * router contract (the compatibility kit checks it): weights only for published stacks and existing
 * routes, at least one weight above zero, events for what it publishes and shifts.
 *
 * <pre>{@code
 * RecordingRouter router = RecordingRouter.create();
 * // ... deploy a canary through an orchestrator built with .router(router)
 * assertThat(router.weightHistory("shop", "web"))
 *     .extracting(w -> w.get("web-next")).containsExactly(10, 50, 100);
 * }</pre>
 *
 * Thread-safe.
 */
public final class RecordingRouter implements Router {

  /** One call the router received. */
  public sealed interface Call
      permits Validated, Prepared, Published, WeightsSet, ReadinessChanged, Withdrawn, Closed {
    /** The stack it was about, {@code null} for {@link Closed}. */
    String stack();
  }

  public record Validated(String stack) implements Call {}

  public record Prepared(String stack) implements Call {}

  public record Published(String stack, StackSpec spec) implements Call {}

  /**
   * @param route the route or routed service the split was asked for
   * @param weights service key to weight
   */
  public record WeightsSet(String stack, String route, Map<String, Integer> weights)
      implements Call {
    public WeightsSet {
      weights = Map.copyOf(weights);
    }
  }

  public record ReadinessChanged(String stack, String service, String address, boolean ready)
      implements Call {}

  public record Withdrawn(String stack) implements Call {}

  public record Closed() implements Call {
    @Override
    public String stack() {
      return null;
    }
  }

  private final String name;
  private final Clock clock;
  private final Function<StackSpec, List<SpecProblem>> problems;
  private final UnaryOperator<StackSpec> preparation;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, StackSpec> published = new ConcurrentHashMap<>();

  private RecordingRouter(Builder builder) {
    this.name = builder.name;
    this.clock = builder.clock;
    this.problems = builder.problems;
    this.preparation = builder.preparation;
  }

  /** A router named {@code recording} that finds no problems and prepares stacks unchanged. */
  public static RecordingRouter create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<SpecProblem> validate(StackSpec stack) {
    calls.add(new Validated(stack.name()));
    return List.copyOf(problems.apply(stack));
  }

  @Override
  public StackSpec prepare(StackSpec stack) {
    calls.add(new Prepared(stack.name()));
    return preparation.apply(stack);
  }

  @Override
  public void publish(StackSpec stack, EventListener events) {
    calls.add(new Published(stack.name(), stack));
    published.put(stack.name(), stack);
    int routes =
        stack.services().values().stream().mapToInt(s -> s.routing().routes().size()).sum();
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack.name(),
            null,
            routes + " routes recorded",
            new EventDetail.RoutesPublished(name, routes)));
  }

  @Override
  public void setWeights(
      String stack, String route, Map<String, Integer> weights, EventListener events) {
    StackSpec spec = published.get(stack);
    if (spec == null) {
      throw new NotFoundException("no routes of stack " + stack + " were published by " + name);
    }
    ServiceSpec owner = owner(spec, route);
    List<SpecProblem> found = new ArrayList<>();
    weights.forEach(
        (service, weight) -> {
          String at = route + ".weights." + service;
          if (!spec.services().containsKey(service) && !service.startsWith(owner.name() + "-")) {
            found.add(
                SpecProblem.at(
                    at,
                    "no such service (a copy of the route's service must be named "
                        + owner.name()
                        + "-...)"));
          } else if (weight == null || weight < 0) {
            found.add(SpecProblem.at(at, "weight must be 0 or more"));
          }
        });
    if (weights.values().stream().noneMatch(w -> w != null && w > 0)) {
      found.add(SpecProblem.at(route + ".weights", "at least one weight must be above 0"));
    }
    if (!found.isEmpty()) {
      throw new InvalidSpecException(found);
    }
    WeightsSet call = new WeightsSet(stack, route, weights);
    calls.add(call);
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack,
            owner.name(),
            "route " + route + " split " + new TreeMap<>(weights),
            new EventDetail.TrafficShifted(owner.name(), route, weights)));
  }

  /** The service that owns {@code route}: a routed service's key or one of its routes' names. */
  private static ServiceSpec owner(StackSpec spec, String route) {
    ServiceSpec named = spec.services().get(route);
    if (named != null && named.routing().isRouted()) {
      return named;
    }
    List<String> known = new ArrayList<>();
    ServiceSpec owner = null;
    for (ServiceSpec service : spec.services().values()) {
      for (Route r : service.routing().routes()) {
        known.add(service.name() + "/" + r.name());
        if (r.name().equals(route) || (service.name() + "/" + r.name()).equals(route)) {
          owner = service;
        }
      }
    }
    if (owner == null) {
      throw new NotFoundException(
          "stack "
              + spec.name()
              + " has no route or routed service '"
              + route
              + "'; it has "
              + known);
    }
    return owner;
  }

  @Override
  public void readinessChanged(String stack, String service, String address, boolean ready) {
    calls.add(new ReadinessChanged(stack, service, address, ready));
  }

  @Override
  public void withdraw(String stack, EventListener events) {
    calls.add(new Withdrawn(stack));
    if (published.remove(stack) != null) {
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack,
              null,
              "routes withdrawn",
              new EventDetail.RoutesPublished(name, 0)));
    }
  }

  @Override
  public void close() {
    calls.add(new Closed());
  }

  // ---------------------------------------------------------------- queries

  /** Every call, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls of one kind, in order: {@code calls(WeightsSet.class)}. */
  public <T extends Call> List<T> calls(Class<T> kind) {
    return calls.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** The calls about {@code stack}, in order. */
  public List<Call> calls(String stack) {
    return calls.stream().filter(c -> Objects.equals(stack, c.stack())).toList();
  }

  /** Whether {@code stack}'s routes are published now (published and not withdrawn since). */
  public boolean isPublished(String stack) {
    return published.containsKey(stack);
  }

  /** The stack as last published, if it is published now. */
  public Optional<StackSpec> published(String stack) {
    return Optional.ofNullable(published.get(stack));
  }

  /** Every split asked for {@code route} of {@code stack}, oldest first. */
  public List<Map<String, Integer>> weightHistory(String stack, String route) {
    return calls(WeightsSet.class).stream()
        .filter(w -> w.stack().equals(stack) && w.route().equals(route))
        .map(WeightsSet::weights)
        .toList();
  }

  /** The last split asked for {@code route} of {@code stack}, if any. */
  public Optional<Map<String, Integer>> weights(String stack, String route) {
    List<Map<String, Integer>> history = weightHistory(stack, route);
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  /** The addresses of {@code service} whose last readiness report was ready. */
  public Set<String> readyAddresses(String stack, String service) {
    Map<String, Boolean> last = new TreeMap<>();
    for (ReadinessChanged r : calls(ReadinessChanged.class)) {
      if (r.stack().equals(stack) && r.service().equals(service)) {
        last.put(r.address(), r.ready());
      }
    }
    Set<String> ready = new TreeSet<>();
    last.forEach(
        (address, isReady) -> {
          if (isReady) {
            ready.add(address);
          }
        });
    return ready;
  }

  /** Forgets the calls recorded so far (what is published stays published). */
  public void clearCalls() {
    calls.clear();
  }

  /** Configures a {@link RecordingRouter}. */
  public static final class Builder {
    private String name = "recording";
    private Clock clock = Clock.systemUTC();
    private Function<StackSpec, List<SpecProblem>> problems = stack -> List.of();
    private UnaryOperator<StackSpec> preparation = UnaryOperator.identity();

    private Builder() {}

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The clock for event timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** What {@link #validate} finds in a stack (nothing by default). */
    public Builder problems(Function<StackSpec, List<SpecProblem>> problems) {
      this.problems = Objects.requireNonNull(problems, "problems");
      return this;
    }

    /**
     * What {@link #prepare} makes of a stack (unchanged by default); it must be pure and
     * idempotent, as the router contract asks ({@code prepare(prepare(s)).equals(prepare(s))}).
     */
    public Builder preparing(UnaryOperator<StackSpec> preparation) {
      this.preparation = Objects.requireNonNull(preparation, "preparation");
      return this;
    }

    public RecordingRouter build() {
      return new RecordingRouter(this);
    }
  }
}
