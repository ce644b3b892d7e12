package io.stackwright.swarm;

import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.docker.internal.testing.EngineDeadlineKit;

/** Swarm calls to an engine that stops answering fail within their deadline. */
class SwarmDeadlineIT extends EngineDeadlineKit {
  @Override
  protected Platform createPlatform(PlatformContext context) {
    return new SwarmPlatform(context);
  }
}
