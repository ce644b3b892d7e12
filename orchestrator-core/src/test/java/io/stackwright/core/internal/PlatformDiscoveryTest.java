package io.stackwright.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.OrchestratorException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Availability;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.PlatformProvider;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.StackState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlatformDiscoveryTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final PlatformContext context =
      new PlatformContext(Clock.systemUTC(), executor, Map.of());

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void anExplicitChoiceWinsOverPriority() {
    PlatformDiscovery discovery =
        new PlatformDiscovery(List.of(provider("swarm", 100, true), provider("compose", 10, true)));

    assertThat(discovery.select("compose", context).name()).isEqualTo("compose");
  }

  @Test
  void withoutAChoiceTheAvailableProviderWithTheHighestPriorityWins() {
    PlatformDiscovery discovery =
        new PlatformDiscovery(
            List.of(
                provider("compose", 10, true),
                provider("swarm", 100, false),
                provider("other", 50, true)));

    assertThat(discovery.select(null, context).name()).isEqualTo("other");
  }

  @Test
  void findingNoneListsEveryCandidateAndWhy() {
    PlatformDiscovery discovery =
        new PlatformDiscovery(
            List.of(provider("swarm", 100, false), provider("compose", 10, false)));

    assertThatThrownBy(() -> discovery.select(null, context))
        .isInstanceOf(OrchestratorException.class)
        .hasMessage(
            "no platform can be used here; candidates: swarm: swarm is switched off;"
                + " compose: compose is switched off");
  }

  @Test
  void anUnknownChoiceNamesTheProvidersThatExist() {
    PlatformDiscovery discovery = new PlatformDiscovery(List.of(provider("swarm", 100, true)));

    assertThatThrownBy(() -> discovery.select("nomad", context))
        .hasMessageContaining("platform 'nomad' was asked for")
        .hasMessageContaining("found: [swarm]");
  }

  @Test
  void anUnavailableChoiceSaysWhy() {
    PlatformDiscovery discovery = new PlatformDiscovery(List.of(provider("swarm", 100, false)));

    assertThatThrownBy(() -> discovery.select("swarm", context))
        .hasMessage("platform 'swarm' cannot be used here: swarm is switched off");
  }

  @Test
  void anEmptyClassPathIsAnError() {
    assertThatThrownBy(() -> new PlatformDiscovery(List.of()).select(null, context))
        .hasMessageContaining("no platform provider is on the class path");
  }

  private static PlatformProvider provider(String name, int priority, boolean available) {
    return new PlatformProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int priority() {
        return priority;
      }

      @Override
      public Availability availability(PlatformContext context) {
        return available
            ? Availability.available(name + " is here")
            : Availability.unavailable(name + " is switched off");
      }

      @Override
      public Platform create(PlatformContext context) {
        return new NamedPlatform(name);
      }
    };
  }

  /** A platform that only has a name: discovery never calls anything else. */
  private record NamedPlatform(String name) implements Platform {
    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public Plan plan(StackSpec stack) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void apply(StackSpec stack, Plan plan, EventListener events) {
      throw new UnsupportedOperationException();
    }

    @Override
    public StackState status(String stack) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> stacks() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void scale(String stack, String service, int replicas) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void remove(String stack, RemoveOptions options, EventListener events) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Subscription watch(String stack, EventListener events) {
      throw new UnsupportedOperationException();
    }
  }
}
