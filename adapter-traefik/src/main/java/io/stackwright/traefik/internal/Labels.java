package io.stackwright.traefik.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Flattens a dynamic-configuration tree into Traefik labels, spelled as Traefik's documentation
 * spells them: option names in lower case ({@code loadbalancer.server.port}; Traefik reads label
 * keys case-insensitively), object names and header names as they are, lists of values joined by
 * commas, lists of objects indexed ({@code tls.domains[0].main}), and an option-less middleware as
 * {@code =true}.
 */
public final class Labels {
  public static final String PREFIX = "traefik.";

  /** Maps whose keys are names, kept as written: object names and header names. */
  private static final Set<String> NAMED =
      Set.of("routers", "services", "middlewares", "customrequestheaders", "customresponseheaders");

  private Labels() {}

  public static Map<String, String> flatten(Map<String, Object> tree) {
    Map<String, String> labels = new TreeMap<>();
    flatten("traefik", tree, false, labels);
    return labels;
  }

  private static void flatten(
      String prefix, Object value, boolean keysAreNames, Map<String, String> labels) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        labels.put(prefix, "true");
        return;
      }
      map.forEach(
          (k, v) -> {
            String key =
                keysAreNames ? k.toString() : k.toString().toLowerCase(java.util.Locale.ROOT);
            flatten(prefix + "." + key, v, !keysAreNames && NAMED.contains(key), labels);
          });
    } else if (value instanceof List<?> list) {
      if (!list.isEmpty() && list.get(0) instanceof Map) {
        for (int i = 0; i < list.size(); i++) {
          flatten(prefix + "[" + i + "]", list.get(i), false, labels);
        }
      } else {
        labels.put(prefix, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
      }
    } else {
      labels.put(prefix, String.valueOf(value));
    }
  }
}
