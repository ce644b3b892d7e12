package io.stackwright.compose;

import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.tck.PlatformCompatibilityKit;

/** The single-engine platform passes the adapter compatibility kit against the real engine. */
class ComposeCompatibilityIT extends PlatformCompatibilityKit {
  @Override
  protected Platform createPlatform(PlatformContext context) {
    return new ComposePlatformProvider().create(context);
  }
}
