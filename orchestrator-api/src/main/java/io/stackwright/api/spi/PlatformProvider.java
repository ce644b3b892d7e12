package io.stackwright.api.spi;

/**
 * Creates a {@link Platform}. Adapters list their provider in {@code
 * META-INF/services/io.stackwright.api.spi.PlatformProvider}; the orchestrator finds it through
 * {@link java.util.ServiceLoader}.
 */
public interface PlatformProvider {

  /** The name a host application chooses it by ({@code swarm}, {@code compose}). */
  String name();

  /** Among available providers, the highest priority wins when none is chosen explicitly. */
  default int priority() {
    return 0;
  }

  /** Whether this platform can work here (the engine answers, is in the right mode). */
  Availability availability(PlatformContext context);

  Platform create(PlatformContext context);
}
