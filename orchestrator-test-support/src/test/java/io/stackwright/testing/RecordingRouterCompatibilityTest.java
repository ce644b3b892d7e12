package io.stackwright.testing;

import io.stackwright.api.spi.Router;
import io.stackwright.tck.RouterCompatibilityKit;

/** The recording router keeps the Router contract, so tests written against it stay honest. */
class RecordingRouterCompatibilityTest extends RouterCompatibilityKit {
  @Override
  protected Router createRouter() {
    return RecordingRouter.create();
  }
}
