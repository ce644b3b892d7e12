package io.stackwright.compose;

import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.docker.internal.testing.EngineDeadlineKit;

/** Single-engine calls to an engine that stops answering fail within their deadline. */
class ComposeDeadlineIT extends EngineDeadlineKit {
  @Override
  protected Platform createPlatform(PlatformContext context) {
    return new ComposePlatform(context);
  }
}
