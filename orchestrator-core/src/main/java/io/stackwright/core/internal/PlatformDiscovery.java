package io.stackwright.core.internal;

import io.stackwright.api.OrchestratorException;
import io.stackwright.api.spi.Availability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.PlatformProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the platform to use among the providers on the class path. An explicit choice wins;
 * otherwise the available provider with the highest priority. Finding none is an error that lists
 * every candidate and why it was rejected: an orchestrator must never silently do nothing.
 */
public final class PlatformDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformDiscovery.class);

  private final List<PlatformProvider> providers;

  public PlatformDiscovery(List<PlatformProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  /** The providers listed in {@code META-INF/services}; one that fails to load is logged. */
  public static PlatformDiscovery fromClassPath(ClassLoader loader) {
    List<PlatformProvider> found = new ArrayList<>();
    Iterator<PlatformProvider> it = ServiceLoader.load(PlatformProvider.class, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        LOG.warn("A platform provider failed to load and is ignored: {}", e.getMessage());
      }
    }
    return new PlatformDiscovery(found);
  }

  public List<PlatformProvider> providers() {
    return providers;
  }

  /**
   * @param requested the provider name the host application chose, or {@code null}
   */
  public Platform select(String requested, PlatformContext context) {
    if (requested != null) {
      PlatformProvider provider =
          providers.stream()
              .filter(p -> p.name().equals(requested))
              .findFirst()
              .orElseThrow(
                  () ->
                      new OrchestratorException(
                          "platform '"
                              + requested
                              + "' was asked for but no provider of that name is on the class path;"
                              + " found: "
                              + names()
                              + ". Add the adapter's dependency (for example io.stackwright:adapter-"
                              + requested
                              + ")."));
      Availability availability = availabilityOf(provider, context);
      if (!availability.available()) {
        throw new OrchestratorException(
            "platform '" + requested + "' cannot be used here: " + availability.reason());
      }
      LOG.info("Using platform '{}' as configured ({})", requested, availability.reason());
      return provider.create(context);
    }
    List<String> rejected = new ArrayList<>();
    List<PlatformProvider> byPriority = new ArrayList<>(providers);
    byPriority.sort(Comparator.comparingInt(PlatformProvider::priority).reversed());
    for (PlatformProvider provider : byPriority) {
      Availability availability = availabilityOf(provider, context);
      if (availability.available()) {
        LOG.info(
            "Using platform '{}' (priority {}, {}); rejected before it: {}",
            provider.name(),
            provider.priority(),
            availability.reason(),
            rejected.isEmpty() ? "none" : rejected);
        return provider.create(context);
      }
      rejected.add(provider.name() + ": " + availability.reason());
    }
    if (providers.isEmpty()) {
      throw new OrchestratorException(
          "no platform provider is on the class path; add an adapter such as"
              + " io.stackwright:adapter-swarm");
    }
    throw new OrchestratorException(
        "no platform can be used here; candidates: " + String.join("; ", rejected));
  }

  private static Availability availabilityOf(PlatformProvider provider, PlatformContext context) {
    try {
      return provider.availability(context);
    } catch (RuntimeException e) {
      return Availability.unavailable("its availability check failed: " + e);
    }
  }

  private List<String> names() {
    return providers.stream().map(PlatformProvider::name).toList();
  }
}
