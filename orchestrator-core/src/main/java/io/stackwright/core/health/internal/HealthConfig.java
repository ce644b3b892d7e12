package io.stackwright.core.health.internal;

import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.spi.AlertSink;
import io.stackwright.api.spi.HealthProbe;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Router;
import io.stackwright.api.spi.StateStore;
import io.stackwright.core.state.FileStateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the orchestrator's builder collected for health monitoring: sinks and probes registered in
 * code plus those found through {@code ServiceLoader}, the state store (by default the file store
 * in its default directory, opened when the first monitor starts), metrics and router.
 */
public final class HealthConfig {
  private static final Logger LOG = LoggerFactory.getLogger(HealthConfig.class);

  private final List<AlertSink> sinks;
  private final Map<String, HealthProbe> probes;
  private final Supplier<StateStore> store;
  private final MetricsRecorder metrics;
  private final Router router;
  private final HealthMonitor.Settings settings;
  private StateStore opened;

  public HealthConfig(
      List<AlertSink> sinks,
      List<HealthProbe> probes,
      StateStore store,
      MetricsRecorder metrics,
      Router router,
      HealthMonitor.Settings settings,
      ClassLoader classLoader) {
    List<AlertSink> allSinks = new ArrayList<>(sinks);
    allSinks.addAll(discover(AlertSink.class, classLoader));
    this.sinks = List.copyOf(allSinks);
    Map<String, HealthProbe> byName = new LinkedHashMap<>();
    for (HealthProbe probe : discover(HealthProbe.class, classLoader)) {
      byName.put(probe.name(), probe);
    }
    probes.forEach(p -> byName.put(p.name(), p)); // registered in code wins
    this.probes = Map.copyOf(byName);
    this.store = store != null ? () -> store : FileStateStore::atDefaultLocation;
    this.metrics = metrics;
    this.router = router;
    this.settings = settings;
  }

  /** The alert sinks (registered in code and discovered), which drift supervision alerts too. */
  public List<AlertSink> alertSinks() {
    return sinks;
  }

  private static <T> List<T> discover(Class<T> type, ClassLoader classLoader) {
    List<T> found = new ArrayList<>();
    for (ServiceLoader.Provider<T> provider :
        ServiceLoader.load(type, classLoader).stream().toList()) {
      try {
        found.add(provider.get());
        LOG.info("Found {} {}", type.getSimpleName(), provider.type().getName());
      } catch (RuntimeException | java.util.ServiceConfigurationError e) {
        LOG.warn(
            "{} {} could not be loaded and is ignored",
            type.getSimpleName(),
            provider.type().getName(),
            e);
      }
    }
    return found;
  }

  /** The custom probes by name: found through ServiceLoader, those registered in code winning. */
  public Map<String, HealthProbe> customProbes() {
    return probes;
  }

  public MetricsRecorder metrics() {
    return metrics;
  }

  public synchronized StateStore store() {
    if (opened == null) {
      opened = store.get();
    }
    return opened;
  }

  public HealthMonitor start(
      Platform platform,
      StackSpec stack,
      Clock clock,
      ExecutorService executor,
      EventListener events) {
    return start(platform, stack, clock, executor, events, null);
  }

  /** Starts a monitor on the orchestrator's one {@code scheduler} (or its own when null). */
  public HealthMonitor start(
      Platform platform,
      StackSpec stack,
      Clock clock,
      ExecutorService executor,
      EventListener events,
      java.util.concurrent.ScheduledExecutorService scheduler) {
    return new HealthMonitor(
            platform, stack, clock, executor, events, metrics, router, store(), sinks, probes,
            settings, scheduler)
        .start();
  }
}
