package io.stackwright.examples.tck;

import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.PlatformProvider;
import io.stackwright.tck.PlatformCompatibilityKit;
import java.util.ServiceLoader;

/**
 * How a third party runs the compatibility kit against its own adapter: add {@code
 * io.stackwright:orchestrator-tck} as a test dependency, subclass the kit, and return the platform
 * under test. Name the class {@code *IT} so Failsafe runs it against your engine. (This example
 * picks a provider by name through {@link ServiceLoader}; {@code ThirdPartyPlatformKitExampleTest}
 * runs it on every build against a provider of the in-memory platform, and adapter-swarm's {@code
 * SwarmCompatibilityIT} and adapter-compose's {@code ComposeCompatibilityIT} run the kit against
 * the real engine.)
 */
public abstract class ThirdPartyPlatformKitExample extends PlatformCompatibilityKit {

  /** The provider name of the adapter under test, for example {@code "my-platform"}. */
  protected abstract String providerName();

  @Override
  protected Platform createPlatform(PlatformContext context) {
    for (PlatformProvider provider : ServiceLoader.load(PlatformProvider.class)) {
      if (provider.name().equals(providerName())) {
        return provider.create(context);
      }
    }
    throw new IllegalStateException("no platform provider named " + providerName());
  }
}
