package io.stackwright.testing;

import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.tck.PlatformCompatibilityKit;

/**
 * The in-memory platform is held to the contract every real adapter is, so that a test passing on
 * it means what it would mean on Swarm or a single engine. No engine is needed: it runs as a unit
 * test. The kit's clock is the system clock (its lease test waits for real expiry).
 */
class InMemoryPlatformCompatibilityTest extends PlatformCompatibilityKit {
  @Override
  protected Platform createPlatform(PlatformContext context) {
    return InMemoryPlatform.builder().clock(context.clock()).build();
  }
}
