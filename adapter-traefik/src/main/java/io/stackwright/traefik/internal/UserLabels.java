package io.stackwright.traefik.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.Middleware;
import io.stackwright.api.routing.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@code traefik.http.*} labels the user wrote on a stack's services, as the file and HTTP
 * providers' dynamic configuration: decoded the way Traefik's label providers decode them, and
 * merged with what {@code x-stackwright.routing} generates.
 *
 * <p>Traefik's decoding rules (paerser, as its Docker and Swarm providers apply them): a label key
 * is a path below {@code traefik}; option names match the configuration's fields
 * case-insensitively, object names (routers, services, middlewares, header names) are kept as
 * written; {@code [n]} indexes a list of objects; a comma-separated value fills a list of values;
 * {@code =true} on an option that is an object means "present, no options". {@code
 * loadbalancer.server.port} and {@code .scheme} name the port of every replica: here, where servers
 * are listed by URL, the service's DNS name (or its ready replicas) on that port. As with the label
 * providers, a router without a service takes the only service the labels define, or else the
 * service's own load balancer; without {@code server.port}, the service's only port is used.
 * References {@code name@docker} and {@code name@swarm} to objects these labels define lose their
 * provider suffix, since they are now defined in the same document. A service whose {@code
 * traefik.enable} is {@code false} is left out, as Traefik leaves it out.
 *
 * <p>The option names and types come from Traefik's own file-provider JSON schema (SchemaStore
 * {@code traefik-v3-file-provider.json}, Apache License 2.0), carried as a resource.
 */
public final class UserLabels {
  private static final String PREFIX = "traefik.http.";
  private static final List<String> SECTIONS = List.of("routers", "services", "middlewares");

  private UserLabels() {}

  /** The decoded tree ({@code http -> routers/services/middlewares}) and what was wrong. */
  public record Decoded(
      Map<String, Map<String, Object>> sections,
      Map<String, String> origins,
      List<SpecProblem> problems) {

    public boolean isEmpty() {
      return sections.values().stream().allMatch(Map::isEmpty);
    }
  }

  /** Whether any service of the stack carries {@code traefik.http.*} labels. */
  public static boolean present(StackSpec stack) {
    return stack.services().values().stream().anyMatch(s -> !own(s).isEmpty());
  }

  /**
   * Decodes every service's labels; {@code origins} tells, for {@code routers.<name>} and so on,
   * which label path defined the object, for messages.
   */
  public static Decoded decode(StackSpec stack, DynamicConfig.Live live) {
    Map<String, String> generated = generatedOrigins(stack);
    Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    SECTIONS.forEach(s -> sections.put(s, new TreeMap<>()));
    Map<String, String> origins = new LinkedHashMap<>();
    List<SpecProblem> problems = new ArrayList<>();
    for (ServiceSpec service : stack.services().values()) {
      Map<String, Origin> labels = own(service);
      if (labels.isEmpty()) {
        continue;
      }
      decodeService(stack, service, labels, live, generated, sections, origins, problems);
    }
    localizeReferences(sections);
    return new Decoded(sections, origins, problems);
  }

  /**
   * The generated document with the labels' objects added. An object both define differently is an
   * error naming both; an object defined the same way by both is kept once.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> merge(
      StackSpec stack, Map<String, Object> generated, Decoded decoded, List<SpecProblem> problems) {
    if (decoded.isEmpty()) {
      return generated;
    }
    Map<String, String> generatedOrigins = generatedOrigins(stack);
    Map<String, Object> http = new LinkedHashMap<>();
    Object existing = generated.get("http");
    if (existing instanceof Map<?, ?> map) {
      map.forEach((k, v) -> http.put((String) k, new LinkedHashMap<>((Map<String, Object>) v)));
    }
    for (String section : SECTIONS) {
      Map<String, Object> from = decoded.sections().get(section);
      if (from.isEmpty()) {
        continue;
      }
      Map<String, Object> into =
          (Map<String, Object>) http.computeIfAbsent(section, k -> new LinkedHashMap<>());
      from.forEach(
          (name, value) -> {
            Object other = into.get(name);
            String ours = decoded.origins().get(section + "." + name);
            String theirs = generatedOrigins.get(section + "." + name);
            if (other == null) {
              into.put(name, value);
            } else if (theirs != null
                && ours.startsWith(theirs.substring(0, theirs.indexOf(".x-stackwright.")) + ".")) {
              // the service's own labels tune what its routing generates: they win, option by
              // option, as they do with the label providers; mixing kinds is a conflict
              Map<String, Object> merged =
                  overlay((Map<String, Object>) other, (Map<String, Object>) value);
              if (merged.size() > 1 && !section.equals("routers")) {
                problems.add(
                    SpecProblem.at(
                        ours,
                        singular(section)
                            + " '"
                            + name
                            + "' would be both "
                            + String.join(" and ", merged.keySet())
                            + ": these labels and "
                            + theirs
                            + " define it as different kinds"));
              } else {
                into.put(name, merged);
              }
            } else if (!other.equals(value)) {
              problems.add(
                  SpecProblem.at(
                      ours,
                      singular(section)
                          + " '"
                          + name
                          + "' is defined differently by these labels and by "
                          + generatedOrigins.getOrDefault(
                              section + "." + name, "x-stackwright.routing")
                          + "; rename one of them"));
            }
          });
    }
    return Map.of("http", http);
  }

  // -------------------------------------------------------------------------------- decoding

  private record Origin(String path, String value) {}

  /** The service's {@code traefik.http.*} labels, container and service labels together. */
  private static Map<String, Origin> own(ServiceSpec service) {
    if ("false".equalsIgnoreCase(service.labels().get("traefik.enable"))
        || "false".equalsIgnoreCase(service.deployLabels().get("traefik.enable"))) {
      return Map.of();
    }
    Map<String, Origin> labels = new TreeMap<>();
    String at = "services." + service.name();
    service
        .labels()
        .forEach(
            (k, v) -> {
              if (k.startsWith(PREFIX)) {
                labels.put(k, new Origin(at + ".labels." + k, v));
              }
            });
    service
        .deployLabels()
        .forEach(
            (k, v) -> {
              if (k.startsWith(PREFIX)) {
                labels.put(k, new Origin(at + ".deploy.labels." + k, v));
              }
            });
    return labels;
  }

  @SuppressWarnings("unchecked")
  private static void decodeService(
      StackSpec stack,
      ServiceSpec service,
      Map<String, Origin> labels,
      DynamicConfig.Live live,
      Map<String, String> generated,
      Map<String, Map<String, Object>> sections,
      Map<String, String> origins,
      List<SpecProblem> problems) {
    Map<String, Object> raw = new TreeMap<>();
    Map<String, String> firstLabel = new LinkedHashMap<>();
    labels.forEach(
        (key, origin) -> {
          List<String> path = new ArrayList<>();
          for (String segment : key.substring(PREFIX.length()).split("\\.", -1)) {
            int bracket = segment.indexOf('[');
            if (bracket > 0 && segment.endsWith("]")) {
              path.add(segment.substring(0, bracket));
              path.add(segment.substring(bracket));
            } else {
              path.add(segment);
            }
          }
          if (path.size() < 3
              || path.stream().anyMatch(String::isEmpty)
              || !SECTIONS.contains(path.get(0).toLowerCase(Locale.ROOT))) {
            problems.add(
                SpecProblem.at(
                    origin.path(),
                    "not a Traefik label: expected traefik.http.routers.<name>.<option>,"
                        + " traefik.http.services.<name>.<option> or"
                        + " traefik.http.middlewares.<name>.<option>"));
            return;
          }
          path.set(0, path.get(0).toLowerCase(Locale.ROOT));
          firstLabel.putIfAbsent(path.get(0) + "." + path.get(1), origin.path());
          String clash = put(raw, path, origin.value());
          if (clash != null) {
            problems.add(SpecProblem.at(origin.path(), clash));
          }
        });
    Map<String, Map<String, Object>> own = new LinkedHashMap<>();
    for (String section : SECTIONS) {
      Map<String, Object> objects = (Map<String, Object>) raw.getOrDefault(section, Map.of());
      Map<String, Object> typed = new LinkedHashMap<>();
      JsonNode schema =
          Schema.property(Schema.property(Schema.ROOT, "http").getValue(), section).getValue();
      objects.forEach(
          (name, options) -> {
            String at = firstLabel.get(section + "." + name);
            JsonNode objectSchema = Schema.property(schema, name).getValue();
            if (!(options instanceof Map<?, ?>)) {
              problems.add(SpecProblem.at(at, "a " + singular(section) + " needs options"));
              return;
            }
            try {
              typed.put(
                  name,
                  Schema.castObject(
                      (Map<String, Object>) options,
                      objectSchema,
                      "traefik.http." + section + "." + name));
            } catch (IllegalArgumentException e) {
              problems.add(SpecProblem.at(at, e.getMessage()));
            }
          });
      own.put(section, typed);
    }
    // options on an object x-stackwright.routing generates for this very service override the
    // generated ones, as the user's label wins with the label providers: no defaults for those
    String mine = "services." + service.name() + ".x-stackwright.routing";
    java.util.function.BiPredicate<String, String> overlay =
        (section, name) -> {
          String origin = generated.get(section + "." + name);
          return origin != null && (origin.equals(mine) || origin.startsWith(mine + "."));
        };
    // servers: Traefik's label providers give a load balancer one server per replica
    Integer onlyPort = service.ports().size() == 1 ? service.ports().get(0).target() : null;
    Map<String, Object> services = own.get("services");
    List<String> hosts = hosts(service, live);
    for (Map.Entry<String, Object> entry : services.entrySet()) {
      Map<String, Object> definition = (Map<String, Object>) entry.getValue();
      Object lb = definition.get("loadBalancer");
      if (lb instanceof Map<?, ?> map
          && !(overlay.test("services", entry.getKey())
              && !((Map<String, Object>) map).containsKey("server"))) {
        Map<String, Object> balancer = new LinkedHashMap<>((Map<String, Object>) map);
        if (!balancer.containsKey("servers")) {
          Map<String, Object> server =
              (Map<String, Object>) balancer.getOrDefault("server", Map.of());
          Object port = server.getOrDefault("port", onlyPort);
          if (port == null) {
            problems.add(
                SpecProblem.at(
                    firstLabel.get("services." + entry.getKey()),
                    "Traefik cannot tell the port of service '"
                        + entry.getKey()
                        + "': set traefik.http.services."
                        + entry.getKey()
                        + ".loadbalancer.server.port (the service publishes "
                        + service.ports().size()
                        + " ports)"));
            continue;
          }
          String scheme = String.valueOf(server.getOrDefault("scheme", "http"));
          balancer.remove("server");
          balancer.put(
              "servers",
              hosts.stream()
                  .map(h -> (Object) Map.of("url", scheme + "://" + h + ":" + port))
                  .toList());
        }
        balancer.remove("server");
        definition = new LinkedHashMap<>(definition);
        definition.put("loadBalancer", balancer);
        entry.setValue(definition);
      }
    }
    // routers without a service: the only one the labels define, else the service's own
    String defaultService = null;
    Map<String, Object> routers = own.get("routers");
    boolean needsDefault = false;
    List<String> ownServices =
        services.keySet().stream().filter(n -> !overlay.test("services", n)).toList();
    for (Map.Entry<String, Object> entry : routers.entrySet()) {
      if (overlay.test("routers", entry.getKey())) {
        continue;
      }
      Map<String, Object> router = new LinkedHashMap<>((Map<String, Object>) entry.getValue());
      if (!router.containsKey("service")) {
        if (ownServices.size() == 1) {
          router.put("service", ownServices.get(0));
        } else if (ownServices.isEmpty()) {
          defaultService = TraefikNames.service(stack.name(), service.name());
          router.put("service", defaultService);
          needsDefault = true;
        } else {
          problems.add(
              SpecProblem.at(
                  firstLabel.get("routers." + entry.getKey()),
                  "router '"
                      + entry.getKey()
                      + "' names no service and the labels define several "
                      + ownServices
                      + ": set traefik.http.routers."
                      + entry.getKey()
                      + ".service"));
        }
      }
      if (!router.containsKey("rule")) {
        problems.add(
            SpecProblem.at(
                firstLabel.get("routers." + entry.getKey()),
                "router '"
                    + entry.getKey()
                    + "' has no rule: set traefik.http.routers."
                    + entry.getKey()
                    + ".rule (a provider's defaultRule cannot be applied here)"));
      }
      entry.setValue(router);
    }
    if (needsDefault && !service.routing().isRouted()) {
      if (onlyPort == null) {
        problems.add(
            SpecProblem.at(
                "services." + service.name() + ".ports",
                "Traefik cannot tell the port of service "
                    + service.name()
                    + ": give it one port or a traefik.http.services.<name>.loadbalancer.server.port"
                    + " label"));
      } else {
        services.put(
            defaultService,
            Map.of(
                "loadBalancer",
                Map.of(
                    "servers",
                    hosts.stream()
                        .map(h -> (Object) Map.of("url", "http://" + h + ":" + onlyPort))
                        .toList())));
        firstLabel.put("services." + defaultService, "services." + service.name() + ".labels");
      }
    }
    // several services' labels may define one object, as Traefik allows, if they agree
    for (String section : SECTIONS) {
      own.get(section)
          .forEach(
              (name, value) -> {
                String at = firstLabel.get(section + "." + name);
                Object before = sections.get(section).putIfAbsent(name, value);
                if (before == null) {
                  origins.put(section + "." + name, at);
                } else if (!before.equals(value)) {
                  problems.add(
                      SpecProblem.at(
                          at,
                          singular(section)
                              + " '"
                              + name
                              + "' is defined differently by "
                              + origins.get(section + "." + name)
                              + "; rename one of them"));
                }
              });
    }
  }

  /** Replaces {@code name@docker} / {@code name@swarm} references to objects defined here. */
  @SuppressWarnings("unchecked")
  private static void localizeReferences(Map<String, Map<String, Object>> sections) {
    Map<String, Object> routers = sections.get("routers");
    routers.replaceAll(
        (name, value) -> {
          Map<String, Object> router = new LinkedHashMap<>((Map<String, Object>) value);
          Object service = router.get("service");
          if (service instanceof String s) {
            router.put("service", local(s, sections.get("services")));
          }
          if (router.get("middlewares") instanceof List<?> list) {
            router.put(
                "middlewares",
                list.stream()
                    .map(m -> (Object) local((String) m, sections.get("middlewares")))
                    .toList());
          }
          return router;
        });
  }

  private static String local(String reference, Map<String, Object> defined) {
    for (String provider : List.of("@docker", "@swarm")) {
      if (reference.endsWith(provider)) {
        String name = reference.substring(0, reference.length() - provider.length());
        return defined.containsKey(name) ? name : reference;
      }
    }
    return reference;
  }

  private static List<String> hosts(ServiceSpec service, DynamicConfig.Live live) {
    List<String> ready = live.readyAddresses(service.name());
    return ready == null || ready.isEmpty() ? List.of(service.name()) : ready;
  }

  /** Puts a label value at its path; what is wrong when the path is both a value and options. */
  @SuppressWarnings("unchecked")
  private static String put(Map<String, Object> tree, List<String> path, String value) {
    Map<String, Object> node = tree;
    for (int i = 0; i < path.size() - 1; i++) {
      Object next = node.computeIfAbsent(path.get(i), k -> new TreeMap<String, Object>());
      if (!(next instanceof Map<?, ?>)) {
        return "'" + String.join(".", path.subList(0, i + 1)) + "' is both a value and options";
      }
      node = (Map<String, Object>) next;
    }
    Object before = node.putIfAbsent(path.get(path.size() - 1), value);
    if (before instanceof Map<?, ?>) {
      return "'" + String.join(".", path) + "' is both a value and options";
    }
    return null;
  }

  /** {@code over} laid on {@code under}: maps merged key by key, other values replaced. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> overlay(Map<String, Object> under, Map<String, Object> over) {
    Map<String, Object> out = new LinkedHashMap<>(under);
    over.forEach(
        (k, v) -> {
          Object before = out.get(k);
          out.put(
              k,
              before instanceof Map<?, ?> b && v instanceof Map<?, ?> o && !o.isEmpty()
                  ? overlay((Map<String, Object>) b, (Map<String, Object>) o)
                  : v);
        });
    return out;
  }

  private static String singular(String section) {
    return section.substring(0, section.length() - 1);
  }

  /** Where the generated objects come from, for messages. */
  private static Map<String, String> generatedOrigins(StackSpec stack) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ServiceSpec service : stack.services().values()) {
      String at = "services." + service.name() + ".x-stackwright.routing";
      if (!service.routing().isRouted()) {
        continue;
      }
      out.put("services." + TraefikNames.service(stack.name(), service.name()), at);
      List<Route> routes = service.routing().routes();
      for (int i = 0; i < routes.size(); i++) {
        out.put(
            "routers." + TraefikNames.router(stack.name(), service, routes.get(i)),
            at + ".routes[" + i + "]");
        out.put(
            "services." + TraefikNames.split(stack.name(), service, routes.get(i)),
            at + ".routes[" + i + "].weights");
      }
      List<Middleware> middlewares = service.routing().middlewares();
      for (int i = 0; i < middlewares.size(); i++) {
        out.put(
            "middlewares."
                + TraefikNames.middleware(stack.name(), service, middlewares.get(i).name()),
            at + ".middlewares[" + i + "]");
      }
    }
    return out;
  }

  /** Traefik's file-provider schema: option names and their types. */
  static final class Schema {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNode ROOT = load();

    private static JsonNode load() {
      try (InputStream in = UserLabels.class.getResourceAsStream("traefik-v3-file-provider.json")) {
        return JSON.readTree(Objects.requireNonNull(in, "traefik-v3-file-provider.json"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static JsonNode resolve(JsonNode schema) {
      while (schema.has("$ref")) {
        schema = ROOT.at(schema.get("$ref").asText().substring(1));
      }
      return schema;
    }

    /** The schema of option {@code key} (case-insensitive) and its canonical name. */
    static Map.Entry<String, JsonNode> property(JsonNode schema, String key) {
      List<JsonNode> candidates = new ArrayList<>();
      candidates.add(resolve(schema));
      resolve(schema).path("oneOf").forEach(alternative -> candidates.add(resolve(alternative)));
      resolve(schema).path("anyOf").forEach(alternative -> candidates.add(resolve(alternative)));
      for (JsonNode candidate : candidates) {
        Iterator<Map.Entry<String, JsonNode>> fields = candidate.path("properties").fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          if (field.getKey().equalsIgnoreCase(key)) {
            return Map.entry(field.getKey(), resolve(field.getValue()));
          }
        }
      }
      for (JsonNode candidate : candidates) {
        if (candidate.path("additionalProperties").isObject()) {
          return Map.entry(key, resolve(candidate.get("additionalProperties")));
        }
      }
      return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castObject(Map<String, Object> raw, JsonNode schema, String at) {
      Map<String, Object> out = new LinkedHashMap<>();
      raw.forEach(
          (key, value) -> {
            if (key.equalsIgnoreCase("server")
                && value instanceof Map<?, ?> server
                && property(schema, "servers") != null) {
              // loadbalancer.server.port / .scheme / .url: the label providers' servers
              Map<String, Object> s = new LinkedHashMap<>();
              ((Map<String, Object>) server)
                  .forEach(
                      (k, v) -> {
                        String option = k.toLowerCase(Locale.ROOT);
                        switch (option) {
                          case "port" -> s.put("port", integer((String) v, at + ".server.port"));
                          case "scheme", "url" -> s.put(option, v);
                          default ->
                              throw new IllegalArgumentException(
                                  "Traefik has no option '" + k + "' in " + at + ".server");
                        }
                      });
              if (s.containsKey("url")) {
                out.put("servers", List.of(Map.of("url", s.get("url"))));
              } else {
                out.put("server", s);
              }
              return;
            }
            Map.Entry<String, JsonNode> property = property(schema, key);
            if (property == null) {
              throw new IllegalArgumentException(
                  "Traefik has no option '" + key + "' in " + at + " (" + known(schema) + ")");
            }
            out.put(property.getKey(), cast(value, property.getValue(), at + "." + key));
          });
      return out;
    }

    private static String known(JsonNode schema) {
      List<String> names = new ArrayList<>();
      List<JsonNode> candidates = new ArrayList<>();
      candidates.add(resolve(schema));
      resolve(schema).path("oneOf").forEach(a -> candidates.add(resolve(a)));
      candidates.forEach(c -> c.path("properties").fieldNames().forEachRemaining(names::add));
      return names.isEmpty() ? "no options here" : "known: " + String.join(", ", names);
    }

    @SuppressWarnings("unchecked")
    private static Object cast(Object value, JsonNode schema, String at) {
      String type = schema.path("type").asText("");
      if (value instanceof Map<?, ?> map) {
        if (type.equals("array")) {
          List<Object> list = new ArrayList<>();
          new TreeMap<>((Map<String, Object>) map)
              .forEach(
                  (index, item) -> {
                    if (!index.matches("\\[\\d+]")) {
                      throw new IllegalArgumentException(
                          at + " is a list: index it as " + at + "[0]");
                    }
                    list.add(cast(item, resolve(schema.get("items")), at + index));
                  });
          return list;
        }
        if (type.isEmpty() || type.equals("object")) {
          return castObject((Map<String, Object>) map, schema, at);
        }
        throw new IllegalArgumentException(at + " takes a value, not options");
      }
      String text = (String) value;
      switch (type) {
        case "object":
          if (text.equalsIgnoreCase("true")) {
            return Map.of();
          }
          throw new IllegalArgumentException(at + " takes options, not the value '" + text + "'");
        case "array":
          JsonNode items = resolve(schema.path("items"));
          return java.util.Arrays.stream(text.split("\\s*,\\s*"))
              .map(item -> cast(item, items, at))
              .toList();
        case "integer":
          return integer(text, at);
        case "number":
          try {
            return Double.parseDouble(text);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(at + " must be a number, not '" + text + "'");
          }
        case "boolean":
          if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(at + " must be true or false, not '" + text + "'");
          }
          return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
        default:
          if (schema.has("oneOf") && text.matches("-?\\d+(\\.\\d+)?")) {
            return text.contains(".") ? Double.parseDouble(text) : Long.parseLong(text);
          }
          return text;
      }
    }

    private static Long integer(String text, String at) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(at + " must be an integer, not '" + text + "'");
      }
    }
  }
}
