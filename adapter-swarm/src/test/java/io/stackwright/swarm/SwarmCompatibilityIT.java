package io.stackwright.swarm;

import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.tck.PlatformCompatibilityKit;

/** The Swarm platform passes the adapter compatibility kit against the real engine. */
class SwarmCompatibilityIT extends PlatformCompatibilityKit {
  @Override
  protected Platform createPlatform(PlatformContext context) {
    return new SwarmPlatformProvider().create(context);
  }
}
