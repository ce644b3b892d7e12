package io.stackwright.it.rollout;

import java.util.List;

/** {@link CanaryByReplicasDnsContract} on a single engine: containers' network aliases. */
class ComposeCanaryDnsIT extends CanaryByReplicasDnsContract {
  @Override
  String platform() {
    return "compose";
  }

  @Override
  List<String> dnsNames() {
    return List.of("web");
  }
}
