package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.ConfigSpec;
import io.stackwright.api.DeviceRequest;
import io.stackwright.api.FileContent;
import io.stackwright.api.FileReference;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.Placement;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.docker.internal.ContentDigest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The config hash of a service: what {@code com.docker.compose.config-hash} holds, and what decides
 * whether a container is recreated.
 *
 * <p>Like compose's {@code ServiceHash}, it is the SHA-256 (hex) of a JSON serialization of the
 * service without the fields that must not recreate containers: {@code replicas} and {@code
 * depends_on} (and the {@code x-*} extensions, which compose does not serialize either). It cannot
 * equal compose's hash byte for byte (compose hashes its own Go model); a project deployed by
 * compose is therefore recreated once when Stackwright adopts it, and vice versa.
 *
 * <p>The serialization is canonical and independent of Jackson's and the model's field order: every
 * object is written with its keys sorted, fields that hold their default (null, empty, false, the
 * default mode) are left out, so adding a new field with a default to the model does not change the
 * hashes of existing services. Durations are ISO-8601 strings. What the service references is
 * resolved before hashing: the engine names of its networks and volumes (a renamed network
 * recreates its containers, as compose does when a container is not on the expected network), and
 * the keyed hash ({@link ContentDigest}) of every secret's and config's content (never the content
 * itself, nor its bare SHA-256), so a changed secret recreates the services that use it.
 */
public final class ConfigHash {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ConfigHash() {}

  /**
   * The hash of {@code service} as a member of {@code stack}; its secrets' and configs' contents
   * enter through {@code digest}, a keyed hash, so the label tells nobody who reads the engine
   * anything they could test a guessed secret against.
   */
  public static String of(StackSpec stack, ServiceSpec service, ContentDigest digest) {
    return sha256(canonical(serialize(stack, service, digest)));
  }

  /** The canonical JSON that is hashed (public for the tests and for debugging: no secrets). */
  public static String canonicalJson(StackSpec stack, ServiceSpec service, ContentDigest digest) {
    return canonical(serialize(stack, service, digest));
  }

  static ObjectNode serialize(StackSpec stack, ServiceSpec s, ContentDigest digest) {
    ObjectNode node = JSON.objectNode();
    put(node, "name", s.name());
    put(node, "image", s.image());
    putList(node, "entrypoint", s.entrypoint(), true);
    putList(node, "command", s.command(), true);
    putMap(node, "environment", s.environment());
    putMap(node, "labels", s.labels());
    putMap(node, "deploy_labels", s.deployLabels());
    putObjects(node, "ports", s.ports(), ConfigHash::port);
    ArrayNode networks = JSON.arrayNode();
    for (ServiceNetwork n : s.networks()) {
      ObjectNode o = JSON.objectNode();
      put(o, "network", n.network());
      put(o, "name", ComposeNames.network(stack, n.network()));
      putList(o, "aliases", n.aliases(), false);
      put(o, "ipv4_address", n.ipv4Address());
      networks.add(o);
    }
    if (s.networks().isEmpty()) {
      // the implicit default network: its engine name is part of what the container joins
      ObjectNode o = JSON.objectNode();
      put(o, "name", ComposeNames.network(stack, StackSpec.DEFAULT_NETWORK));
      networks.add(o);
    }
    node.set("networks", networks);
    putObjects(node, "mounts", s.mounts(), m -> mount(stack, m));
    putObjects(node, "secrets", s.secrets(), r -> file(r, secretDigest(stack, r, digest)));
    putObjects(node, "configs", s.configs(), r -> file(r, configDigest(stack, r, digest)));
    if (s.healthcheck() != null) {
      node.set("healthcheck", healthcheck(s.healthcheck()));
    }
    if (!s.resources().isEmpty()) {
      ObjectNode r = JSON.objectNode();
      putLimits(r, "limits", s.resources().limits());
      putLimits(r, "reservations", s.resources().reservations());
      // devices recreate containers; generic resources do not (a single engine ignores them)
      putObjects(r, "devices", s.resources().devices(), ConfigHash::device);
      if (!r.isEmpty()) {
        node.set("resources", r);
      }
    }
    if (s.mode() != ServiceSpec.Mode.REPLICATED) {
      put(node, "mode", ComposeNames.mode(s.mode()));
    }
    if (!s.placement().isEmpty()) {
      node.set("placement", placement(s.placement()));
    }
    if (s.updatePolicy() != null) {
      node.set("update_policy", update(s.updatePolicy()));
    }
    if (s.rollbackPolicy() != null) {
      node.set("rollback_policy", update(s.rollbackPolicy()));
    }
    if (s.restartPolicy() != null) {
      node.set("restart_policy", restart(s.restartPolicy()));
    }
    put(node, "user", s.user());
    put(node, "working_dir", s.workingDir());
    put(node, "hostname", s.hostname());
    if (s.readOnly()) {
      node.put("read_only", true);
    }
    putList(node, "cap_add", s.capAdd(), false);
    putList(node, "cap_drop", s.capDrop(), false);
    putList(node, "security_opt", s.securityOpt(), false);
    put(node, "stop_signal", s.stopSignal());
    put(node, "stop_grace_period", s.stopGracePeriod());
    if (s.init() != null) {
      node.put("init", s.init());
    }
    if (!s.ulimits().isEmpty()) {
      ObjectNode u = JSON.objectNode();
      s.ulimits()
          .forEach(
              (k, v) -> {
                ObjectNode limit = JSON.objectNode();
                limit.put("soft", v.soft());
                limit.put("hard", v.hard());
                u.set(k, limit);
              });
      node.set("ulimits", u);
    }
    putMap(node, "sysctls", s.sysctls());
    if (s.logging() != null) {
      ObjectNode l = JSON.objectNode();
      put(l, "driver", s.logging().driver());
      putMap(l, "options", s.logging().options());
      node.set("logging", l);
    }
    if (s.endpointMode() != ServiceSpec.EndpointMode.VIP) {
      put(node, "endpoint_mode", s.endpointMode().name().toLowerCase(Locale.ROOT));
    }
    putList(node, "extra_hosts", s.extraHosts(), false);
    return node;
  }

  private static ObjectNode port(PortSpec p) {
    ObjectNode o = JSON.objectNode();
    o.put("target", p.target());
    if (p.published() != null) {
      o.put("published", p.published());
    }
    put(o, "protocol", p.protocol());
    put(o, "mode", p.mode().name().toLowerCase(Locale.ROOT));
    put(o, "host_ip", p.hostIp());
    return o;
  }

  private static ObjectNode mount(StackSpec stack, MountSpec m) {
    ObjectNode o = JSON.objectNode();
    put(o, "type", m.type().name().toLowerCase(Locale.ROOT));
    put(o, "source", m.source());
    if (m.type() == MountSpec.Type.VOLUME && m.source() != null) {
      put(o, "volume_name", ComposeNames.volume(stack, m.source()));
    }
    put(o, "target", m.target());
    if (m.readOnly()) {
      o.put("read_only", true);
    }
    if (m.noCopy()) {
      o.put("nocopy", true);
    }
    put(o, "bind_propagation", m.bindPropagation());
    if (m.tmpfsSizeBytes() != null) {
      o.put("tmpfs_size", m.tmpfsSizeBytes());
    }
    return o;
  }

  private static ObjectNode file(FileReference r, String digest) {
    ObjectNode o = JSON.objectNode();
    put(o, "source", r.source());
    put(o, "target", r.target());
    put(o, "uid", r.uid());
    put(o, "gid", r.gid());
    if (r.mode() != null) {
      o.put("mode", r.mode());
    }
    put(o, "content_digest", digest);
    return o;
  }

  private static String secretDigest(StackSpec stack, FileReference r, ContentDigest keyed) {
    SecretSpec secret = stack.secrets().get(r.source());
    return digest(
        keyed,
        secret == null ? null : secret.content(),
        secret != null && secret.external(),
        secret == null ? null : secret.name());
  }

  private static String configDigest(StackSpec stack, FileReference r, ContentDigest keyed) {
    ConfigSpec config = stack.configs().get(r.source());
    return digest(
        keyed,
        config == null ? null : config.content(),
        config != null && config.external(),
        config == null ? null : config.name());
  }

  private static String digest(
      ContentDigest keyed, FileContent content, boolean external, String name) {
    if (content != null) {
      return keyed.of(content);
    }
    return external ? "external:" + name : null;
  }

  private static ObjectNode healthcheck(HealthcheckSpec h) {
    ObjectNode o = JSON.objectNode();
    putList(o, "test", h.test(), false);
    put(o, "interval", h.interval());
    put(o, "timeout", h.timeout());
    put(o, "start_period", h.startPeriod());
    put(o, "start_interval", h.startInterval());
    if (h.retries() != null) {
      o.put("retries", h.retries());
    }
    return o;
  }

  private static void putLimits(ObjectNode parent, String key, ResourceLimits limits) {
    if (limits.isEmpty()) {
      return;
    }
    ObjectNode o = JSON.objectNode();
    if (limits.nanoCpus() != 0) {
      o.put("nano_cpus", limits.nanoCpus());
    }
    if (limits.memoryBytes() != 0) {
      o.put("memory", limits.memoryBytes());
    }
    if (limits.pids() != 0) {
      o.put("pids", limits.pids());
    }
    parent.set(key, o);
  }

  private static ObjectNode placement(Placement p) {
    ObjectNode o = JSON.objectNode();
    putList(o, "constraints", p.constraints(), false);
    putList(o, "preferences", p.spreadPreferences(), false);
    if (p.maxReplicasPerNode() != null) {
      o.put("max_replicas_per_node", p.maxReplicasPerNode());
    }
    return o;
  }

  private static ObjectNode update(UpdatePolicy u) {
    ObjectNode o = JSON.objectNode();
    o.put("parallelism", u.parallelism());
    put(o, "delay", u.delay());
    put(o, "failure_action", u.failureAction().name().toLowerCase(Locale.ROOT));
    put(o, "monitor", u.monitor());
    o.put("max_failure_ratio", u.maxFailureRatio());
    put(o, "order", u.order().name().toLowerCase(Locale.ROOT));
    return o;
  }

  private static ObjectNode device(DeviceRequest d) {
    ObjectNode o = JSON.objectNode();
    putList(o, "capabilities", d.capabilities(), false);
    put(o, "driver", d.driver());
    if (d.count() != null) {
      o.put("count", d.count());
    }
    putList(o, "device_ids", d.deviceIds(), false);
    putMap(o, "options", d.options());
    return o;
  }

  private static ObjectNode restart(RestartPolicy r) {
    ObjectNode o = JSON.objectNode();
    put(o, "condition", r.condition().name().toLowerCase(Locale.ROOT));
    put(o, "delay", r.delay());
    if (r.maxAttempts() != null) {
      o.put("max_attempts", r.maxAttempts());
    }
    put(o, "window", r.window());
    return o;
  }

  private static void put(ObjectNode node, String key, String value) {
    if (value != null) {
      node.put(key, value);
    }
  }

  private static void put(ObjectNode node, String key, Duration value) {
    if (value != null) {
      node.put(key, value.toString());
    }
  }

  /** A list; {@code keepEmpty} for the fields where an empty list differs from none. */
  private static void putList(ObjectNode node, String key, List<String> values, boolean keepEmpty) {
    if (values == null || (values.isEmpty() && !keepEmpty)) {
      return;
    }
    ArrayNode array = JSON.arrayNode();
    values.forEach(v -> array.add(v));
    node.set(key, array);
  }

  private static void putMap(ObjectNode node, String key, Map<String, String> values) {
    if (values == null || values.isEmpty()) {
      return;
    }
    ObjectNode o = JSON.objectNode();
    values.forEach((k, v) -> o.put(k, v));
    node.set(key, o);
  }

  private static <T> void putObjects(
      ObjectNode node, String key, List<T> values, Function<T, ObjectNode> convert) {
    if (values.isEmpty()) {
      return;
    }
    ArrayNode array = JSON.arrayNode();
    values.forEach(v -> array.add(convert.apply(v)));
    node.set(key, array);
  }

  /** Compact JSON with every object's keys sorted. */
  static String canonical(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        keys.add(it.next());
      }
      keys.sort(null);
      out.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(JSON.textNode(keys.get(i)).toString()).append(':');
        write(node.get(keys.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else {
      out.append(node.toString());
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
