package io.stackwright.it.rollout;

/** {@link SideBySideUnderLoadContract} on a single engine. */
class ComposeSideBySideIT extends SideBySideUnderLoadContract {
  @Override
  String platform() {
    return "compose";
  }

  @Override
  String dnsName(String service) {
    return service;
  }
}
