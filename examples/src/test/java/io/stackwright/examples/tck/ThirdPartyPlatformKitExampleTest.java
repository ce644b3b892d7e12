package io.stackwright.examples.tck;

/**
 * Runs {@link ThirdPartyPlatformKitExample} as a third party would, its adapter found through
 * {@code META-INF/services} by name: every test of the compatibility kit, against the provider
 * registered in this module's test resources.
 */
class ThirdPartyPlatformKitExampleTest extends ThirdPartyPlatformKitExample {
  @Override
  protected String providerName() {
    return InMemoryPlatformProvider.NAME;
  }
}
