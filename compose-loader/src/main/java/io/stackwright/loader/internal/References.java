package io.stackwright.loader.internal;

import io.stackwright.api.PortSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What the services of a stack refer to, with where: checked against the declarations once every
 * service is read, so that an undefined name is reported at the line that names it.
 */
final class References {

  enum Kind {
    NETWORK("network"),
    VOLUME("volume"),
    SECRET("secret"),
    CONFIG("config"),
    SERVICE("service");

    final String noun;

    Kind(String noun) {
      this.noun = noun;
    }
  }

  record Reference(String service, Kind kind, String name, Location at, String path) {}

  record PublishedPort(String service, PortSpec port, Location at, String path) {}

  final List<Reference> references = new ArrayList<>();
  final List<PublishedPort> ports = new ArrayList<>();

  void add(String service, Kind kind, String name, Location at, String path) {
    references.add(new Reference(service, kind, name, at, path));
  }
}
