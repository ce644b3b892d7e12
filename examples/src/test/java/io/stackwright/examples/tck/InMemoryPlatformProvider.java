package io.stackwright.examples.tck;

import io.stackwright.api.spi.Availability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.PlatformProvider;
import io.stackwright.testing.InMemoryPlatform;

/**
 * A third party's adapter as the kit example finds it: a {@link PlatformProvider} registered in
 * {@code META-INF/services}. Here it provides test-support's in-memory platform, so that the
 * example runs on every build without an engine; a real adapter provides its own platform the same
 * way.
 */
public final class InMemoryPlatformProvider implements PlatformProvider {
  /** The name the example chooses it by. */
  public static final String NAME = "example-in-memory";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return -100; // never chosen unless asked for by name
  }

  @Override
  public Availability availability(PlatformContext context) {
    return Availability.available("in this JVM's memory");
  }

  @Override
  public Platform create(PlatformContext context) {
    return InMemoryPlatform.builder().clock(context.clock()).build();
  }
}
