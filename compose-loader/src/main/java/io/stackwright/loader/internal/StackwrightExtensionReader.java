package io.stackwright.loader.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.loader.internal.Node.MapNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a service's {@code x-stackwright} extension: Stackwright's own settings that the Compose
 * specification has no key for. Each section has its own reader, listed once in {@link #SECTIONS};
 * an unknown section is an error, like any other invalid key, so that a typo never silently turns a
 * policy off. A new section is one more {@link Section} in that list.
 */
final class StackwrightExtensionReader extends NodeReader {
  static final String KEY = "x-stackwright";

  /** What one section reader does: read its node and set what it declares on the service. */
  @FunctionalInterface
  interface SectionReader {
    void read(Diagnostics diagnostics, Node node, String path, ServiceSpec.Builder service);
  }

  /** A section of {@code x-stackwright}: its key and its reader. */
  record Section(String key, SectionReader reader) {}

  /** Every section, in the order they are read. */
  static final List<Section> SECTIONS =
      List.of(
          new Section(
              "health",
              (d, node, path, service) ->
                  service.health(new HealthPolicyReader(d).read(node, path))),
          new Section(
              "autoscaling",
              (d, node, path, service) ->
                  service.scaling(new ScalingPolicyReader(d).read(node, path))),
          new Section(
              "routing",
              (d, node, path, service) ->
                  service.routing(new RoutingPolicyReader(d).read(node, path))),
          new Section(
              "rollout",
              (d, node, path, service) ->
                  service.rollout(new RolloutPolicyReader(d).read(node, path))),
          // checked here; the section stays in the service's extensions for DriftPolicy.of
          new Section(
              "drift",
              (d, node, path, service) -> new DriftPolicyReader(d).readService(node, path)));

  private static final Map<String, SectionReader> READERS = readers();

  StackwrightExtensionReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  /** Sets the policies {@code node} declares on {@code service}. */
  void read(Node node, String path, ServiceSpec.Builder service) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return;
    }
    unknownKeys(map, path, READERS.keySet());
    READERS.forEach(
        (key, reader) -> {
          Node section = map.get(key);
          if (section != null) {
            reader.read(diagnostics, section, child(path, key), service);
          }
        });
  }

  private static Map<String, SectionReader> readers() {
    Map<String, SectionReader> readers = new LinkedHashMap<>();
    for (Section section : SECTIONS) {
      if (readers.put(section.key(), section.reader()) != null) {
        throw new IllegalStateException("two readers for x-stackwright." + section.key());
      }
    }
    return Collections.unmodifiableMap(readers);
  }
}
