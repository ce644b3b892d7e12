package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Brings a Swarm service spec (desired or live, as a JSON tree in the Engine API's field names) to
 * a canonical form, so that two specs that mean the same thing compare equal. The rules:
 *
 * <ol>
 *   <li><b>Bookkeeping is dropped</b>: {@code TaskTemplate.ForceUpdate} (kept from the live spec on
 *       update, like the CLI), the {@code SecretID}/{@code ConfigID} of references (the name
 *       identifies the object, and a content change gives a new name), docker-java's pseudo field
 *       {@code Mode.mode}.
 *   <li><b>The image</b> of a live spec is replaced by its {@code com.docker.stack.image} label
 *       when that exists and the image is the label's with a digest the engine pinned: the label
 *       holds what was declared. Another image ({@code docker service update --image}, which leaves
 *       the label) is compared as it is.
 *   <li><b>Network ids become names</b>: the engine stores network attachments by id, a desired
 *       spec names them.
 *   <li><b>Engine defaults are filled in on both sides</b>, so "unset" equals "set to the default
 *       the engine would fill": restart policy (any, 5 s), update and rollback config (parallelism
 *       1, pause, monitor 5 s, stop-first; a present config gets monitor 5 s when it is 0 or
 *       unset), stop grace period 10 s, isolation {@code default}, runtime {@code container},
 *       endpoint mode {@code vip}, port protocol {@code tcp} and publish mode {@code ingress}.
 *   <li><b>Empty means unset</b>: null, {@code ""}, {@code 0}, {@code false}, {@code []} and {@code
 *       {}} are removed recursively (the engine fills empty {@code Resources}, {@code Placement},
 *       {@code DNSConfig}, {@code Privileges} objects). Under {@code Mode} only nulls are removed:
 *       {@code Global: {}} and {@code Replicas: 0} carry meaning.
 *   <li><b>Set-like lists are sorted</b>: environment, mounts, secrets, configs, ulimits,
 *       capabilities, constraints, generic resources, networks and their aliases, ports.
 * </ol>
 */
public final class SpecNormalizer {
  static final long DEFAULT_STOP_GRACE_NANOS = 10_000_000_000L;
  static final long DEFAULT_RESTART_DELAY_NANOS = 5_000_000_000L;
  static final long DEFAULT_MONITOR_NANOS = 5_000_000_000L;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final List<String> SORTED_CONTAINER_LISTS =
      List.of("Env", "Mounts", "Secrets", "Configs", "Ulimits", "CapabilityAdd", "CapabilityDrop");

  private SpecNormalizer() {}

  /**
   * A normalized copy of a service spec.
   *
   * @param spec a {@code ServiceSpec} tree
   * @param networkNames maps network ids to names (identity for unknown ids)
   * @param useImageLabel compare the declared image (the label) instead of {@code Image}
   */
  public static ObjectNode service(
      JsonNode spec, UnaryOperator<String> networkNames, boolean useImageLabel) {
    ObjectNode s = (ObjectNode) numbers(spec);
    if (useImageLabel) {
      JsonNode label = s.path("Labels").get(StackNames.IMAGE);
      JsonNode container = s.path("TaskTemplate").path("ContainerSpec");
      if (label != null
          && label.isTextual()
          && container instanceof ObjectNode c
          && StackNames.isDeclaredImage(c.path("Image").asText(""), label.asText())) {
        c.put("Image", label.asText());
      }
    }
    if (s.get("TaskTemplate") instanceof ObjectNode task) {
      task.remove("ForceUpdate");
      taskTemplateInPlace(task, networkNames);
    }
    // the deprecated top-level Networks: the engine moves them into the task template
    if (s.get("Networks") instanceof ArrayNode nets && nets.isEmpty()) {
      s.remove("Networks");
    }
    fillUpdateConfig(s, "UpdateConfig");
    fillUpdateConfig(s, "RollbackConfig");
    ObjectNode endpoint = object(s, "EndpointSpec");
    if (isUnset(endpoint.get("Mode"))) {
      endpoint.put("Mode", "vip");
    }
    if (endpoint.get("Ports") instanceof ArrayNode ports) {
      for (JsonNode port : ports) {
        if (port instanceof ObjectNode p) {
          if (isUnset(p.get("Protocol"))) {
            p.put("Protocol", "tcp");
          }
          if (isUnset(p.get("PublishMode"))) {
            p.put("PublishMode", "ingress");
          }
        }
      }
    }
    if (s.get("Mode") instanceof ObjectNode mode) {
      mode.remove("mode");
    }
    pruneChildren(s);
    sortList(s.path("EndpointSpec"), "Ports");
    return (ObjectNode) numbers(s);
  }

  /**
   * A normalized copy of a task template, to decide whether a task runs the service's current spec.
   * {@code ForceUpdate} is kept (a bump replaces tasks); {@code Placement} is ignored, as the
   * engine does for a task whose node still satisfies it (swarmkit {@code IsTaskDirty}).
   */
  public static ObjectNode taskTemplate(JsonNode template) {
    ObjectNode t =
        template == null || !template.isObject() ? NODES.objectNode() : template.deepCopy();
    t.remove("Placement");
    taskTemplateInPlace(t, UnaryOperator.identity());
    pruneChildren(t);
    return (ObjectNode) numbers(t);
  }

  private static void taskTemplateInPlace(ObjectNode task, UnaryOperator<String> networkNames) {
    ObjectNode container = object(task, "ContainerSpec");
    if (isUnset(container.get("StopGracePeriod"))) {
      container.put("StopGracePeriod", DEFAULT_STOP_GRACE_NANOS);
    }
    if (isUnset(container.get("Isolation"))) {
      container.put("Isolation", "default");
    }
    for (String list : List.of("Secrets", "Configs")) {
      if (container.get(list) instanceof ArrayNode refs) {
        for (JsonNode ref : refs) {
          if (ref instanceof ObjectNode r) {
            r.remove("SecretID");
            r.remove("ConfigID");
          }
        }
      }
    }
    if (isUnset(task.get("Runtime"))) {
      task.put("Runtime", "container");
    }
    if (isUnset(task.get("RestartPolicy"))) {
      ObjectNode restart = task.putObject("RestartPolicy");
      restart.put("Condition", "any");
      restart.put("Delay", DEFAULT_RESTART_DELAY_NANOS);
    } else if (task.get("RestartPolicy") instanceof ObjectNode restart
        && isUnset(restart.get("Delay"))) {
      restart.put("Delay", DEFAULT_RESTART_DELAY_NANOS);
    }
    if (task.get("Networks") instanceof ArrayNode networks) {
      for (JsonNode n : networks) {
        if (n instanceof ObjectNode attachment && attachment.get("Target") != null) {
          attachment.put("Target", networkNames.apply(attachment.get("Target").asText()));
          sortList(attachment, "Aliases");
        }
      }
    }
    pruneChildren(task);
    for (String list : SORTED_CONTAINER_LISTS) {
      sortList(task.path("ContainerSpec"), list);
    }
    sortList(task.path("Placement"), "Constraints");
    sortList(task.path("Resources").path("Reservations"), "GenericResources");
    sortList(task, "Networks");
  }

  private static void fillUpdateConfig(ObjectNode spec, String field) {
    JsonNode config = spec.get(field);
    if (isUnset(config) || (config.isObject() && config.isEmpty())) {
      ObjectNode c = spec.putObject(field);
      c.put("Parallelism", 1);
      c.put("FailureAction", "pause");
      c.put("Monitor", DEFAULT_MONITOR_NANOS);
      c.put("Order", "stop-first");
      return;
    }
    if (config instanceof ObjectNode c) {
      if (isUnset(c.get("FailureAction"))) {
        c.put("FailureAction", "pause");
      }
      if (isUnset(c.get("Order"))) {
        c.put("Order", "stop-first");
      }
      if (isUnset(c.get("Monitor"))) {
        c.put("Monitor", DEFAULT_MONITOR_NANOS);
      }
    }
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(field);
  }

  /**
   * A copy with one representation per number: integers as longs (docker-java writes a field as int
   * or long, the engine's JSON reads back as the smallest type), fractions at float precision
   * (docker-java holds {@code MaxFailureRatio} as a float).
   */
  static JsonNode numbers(JsonNode node) {
    if (node instanceof ObjectNode o) {
      ObjectNode copy = NODES.objectNode();
      o.fields().forEachRemaining(e -> copy.set(e.getKey(), numbers(e.getValue())));
      return copy;
    }
    if (node instanceof ArrayNode a) {
      ArrayNode copy = NODES.arrayNode();
      a.forEach(e -> copy.add(numbers(e)));
      return copy;
    }
    if (node != null && node.isNumber()) {
      if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
        return NODES.numberNode(node.longValue());
      }
      return NODES.numberNode((double) (float) node.doubleValue());
    }
    return node == null ? null : node.deepCopy();
  }

  /** null, "", 0, false, [] and {} all mean "unset". */
  static boolean isUnset(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return true;
    }
    if (node.isTextual()) {
      return node.asText().isEmpty();
    }
    if (node.isNumber()) {
      return node.asDouble() == 0d;
    }
    if (node.isBoolean()) {
      return !node.asBoolean();
    }
    if (node.isContainerNode()) {
      return node.isEmpty();
    }
    return false;
  }

  private static void pruneChildren(ObjectNode node) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if ("Mode".equals(field.getKey()) && value instanceof ObjectNode mode) {
        removeNulls(mode);
        continue;
      }
      prune(value);
      if (isUnset(value)) {
        fields.remove();
      }
    }
  }

  private static void prune(JsonNode node) {
    if (node instanceof ObjectNode o) {
      pruneChildren(o);
    } else if (node instanceof ArrayNode a) {
      for (int i = a.size() - 1; i >= 0; i--) {
        JsonNode element = a.get(i);
        prune(element);
        if (element.isNull() || (element.isContainerNode() && element.isEmpty())) {
          a.remove(i);
        }
      }
    }
  }

  private static void removeNulls(ObjectNode node) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isNull()) {
        fields.remove();
      } else if (field.getValue() instanceof ObjectNode child) {
        removeNulls(child);
      }
    }
  }

  /** JSON text with object keys sorted: equal trees give equal text. */
  static String canonical(JsonNode node) {
    if (node instanceof ObjectNode o) {
      StringBuilder text = new StringBuilder("{");
      List<String> keys = new ArrayList<>();
      o.fieldNames().forEachRemaining(keys::add);
      keys.sort(Comparator.naturalOrder());
      for (String key : keys) {
        if (text.length() > 1) {
          text.append(',');
        }
        text.append(NODES.textNode(key)).append(':').append(canonical(o.get(key)));
      }
      return text.append('}').toString();
    }
    if (node instanceof ArrayNode a) {
      StringBuilder text = new StringBuilder("[");
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) {
          text.append(',');
        }
        text.append(canonical(a.get(i)));
      }
      return text.append(']').toString();
    }
    return node.toString();
  }

  private static void sortList(JsonNode parent, String field) {
    if (parent instanceof ObjectNode p && p.get(field) instanceof ArrayNode list) {
      List<JsonNode> elements = new ArrayList<>();
      list.forEach(elements::add);
      elements.sort(Comparator.comparing(SpecNormalizer::canonical));
      ArrayNode sorted = p.putArray(field);
      elements.forEach(sorted::add);
    }
  }
}
