package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.DeviceRequest;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.LoggingSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.compose.internal.SecretFiles.FileMount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a service into the Engine API's container-create request ({@code POST /containers/create}),
 * the way compose's {@code getCreateConfigs} does: one request per container number. Pure: no
 * engine, no files.
 *
 * <p>Engine API 1.41 accepts a single network in {@code NetworkingConfig}; the container is created
 * on its first network and connected to the others before it starts (compose does the same on older
 * engines).
 */
public final class ContainerMapper {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ContainerMapper() {}

  /** One more network to connect a container to after it is created. */
  public record NetworkAttachment(String network, List<String> aliases, String ipv4Address) {
    public NetworkAttachment {
      aliases = List.copyOf(aliases);
    }

    public ObjectNode endpointConfig() {
      return ContainerMapper.endpoint(aliases, ipv4Address);
    }
  }

  /** A container to create: its name, the create body, and the networks to connect it to. */
  public record CreateRequest(String name, ObjectNode body, List<NetworkAttachment> extraNetworks) {
    public CreateRequest {
      extraNetworks = List.copyOf(extraNetworks);
    }

    /** The same request under another name (the temporary name of a recreate). */
    public CreateRequest named(String other) {
      return new CreateRequest(other, body, extraNetworks);
    }
  }

  /**
   * What a container of a service needs besides the spec.
   *
   * @param number the container number
   * @param hash the service's config hash
   * @param imageId the ID the image reference resolves to now, or null when unknown
   * @param desiredReplicas written to {@code io.stackwright.replicas}
   * @param files the secret and config files to bind-mount
   * @param inheritedVolumes anonymous volumes of a replaced container, by target path
   * @param replaces the name (without the project) of the container this one replaces, or null
   * @param startIntervalSupported whether the engine knows {@code Healthcheck.StartInterval}
   */
  public record Inputs(
      int number,
      String hash,
      String imageId,
      int desiredReplicas,
      List<FileMount> files,
      Map<String, String> inheritedVolumes,
      String replaces,
      String workingDir,
      String configFiles,
      boolean startIntervalSupported) {
    public Inputs {
      files = List.copyOf(files);
      inheritedVolumes = Map.copyOf(inheritedVolumes);
    }
  }

  public static CreateRequest map(StackSpec stack, ServiceSpec service, Inputs in) {
    String project = stack.name();
    String name = ComposeNames.container(project, service.name(), in.number());
    ObjectNode body = JSON.objectNode();
    body.put("Image", service.image());
    if (service.entrypoint() != null) {
      body.set("Entrypoint", strings(service.entrypoint()));
    }
    if (service.command() != null) {
      body.set("Cmd", strings(service.command()));
    }
    ArrayNode env = JSON.arrayNode();
    service
        .environment()
        .forEach((k, v) -> env.add(v == null ? k : k + "=" + v)); // bare KEY unsets it
    body.set("Env", env);
    body.set("Labels", labels(stack, service, in));
    if (!service.ports().isEmpty()) {
      ObjectNode exposed = JSON.objectNode();
      service.ports().forEach(p -> exposed.set(portKey(p), JSON.objectNode()));
      body.set("ExposedPorts", exposed);
    }
    putText(body, "User", service.user());
    putText(body, "WorkingDir", service.workingDir());
    putText(body, "Hostname", service.hostname());
    putText(body, "StopSignal", service.stopSignal());
    if (service.stopGracePeriod() != null) {
      body.put("StopTimeout", seconds(service.stopGracePeriod()));
    }
    if (service.healthcheck() != null) {
      body.set("Healthcheck", healthcheck(service.healthcheck(), in.startIntervalSupported()));
    }

    ObjectNode host = JSON.objectNode();
    List<ServiceNetwork> networks = StackSpec.effectiveNetworks(service);
    ServiceNetwork primary = networks.get(0);
    host.put("NetworkMode", ComposeNames.network(stack, primary.network()));
    if (!service.ports().isEmpty()) {
      host.set("PortBindings", portBindings(service.ports()));
    }
    host.set("Mounts", mounts(stack, service, in));
    host.set("RestartPolicy", restartPolicy(service.restartPolicy()));
    ResourceLimits limits = service.resources().limits();
    ResourceLimits reservations = service.resources().reservations();
    if (limits.nanoCpus() > 0) {
      host.put("NanoCpus", limits.nanoCpus());
    }
    if (limits.memoryBytes() > 0) {
      host.put("Memory", limits.memoryBytes());
    }
    if (reservations.memoryBytes() > 0) {
      host.put("MemoryReservation", reservations.memoryBytes());
    }
    if (limits.pids() > 0) {
      host.put("PidsLimit", limits.pids());
    }
    // generic resources have no single-engine equivalent: Validation warns, as compose does
    if (!service.resources().devices().isEmpty()) {
      host.set("DeviceRequests", deviceRequests(service.resources().devices()));
    }
    if (service.readOnly()) {
      host.put("ReadonlyRootfs", true);
    }
    if (!service.capAdd().isEmpty()) {
      host.set("CapAdd", strings(service.capAdd()));
    }
    if (!service.capDrop().isEmpty()) {
      host.set("CapDrop", strings(service.capDrop()));
    }
    if (!service.securityOpt().isEmpty()) {
      host.set("SecurityOpt", strings(service.securityOpt()));
    }
    if (service.init() != null) {
      host.put("Init", service.init());
    }
    if (!service.ulimits().isEmpty()) {
      ArrayNode ulimits = JSON.arrayNode();
      service
          .ulimits()
          .forEach(
              (k, v) -> {
                ObjectNode u = ulimits.addObject();
                u.put("Name", k);
                u.put("Soft", v.soft());
                u.put("Hard", v.hard());
              });
      host.set("Ulimits", ulimits);
    }
    if (!service.sysctls().isEmpty()) {
      ObjectNode sysctls = JSON.objectNode();
      service.sysctls().forEach(sysctls::put);
      host.set("Sysctls", sysctls);
    }
    if (service.logging() != null) {
      host.set("LogConfig", logConfig(service.logging()));
    }
    if (!service.extraHosts().isEmpty()) {
      ArrayNode hosts = JSON.arrayNode();
      service.extraHosts().forEach(h -> hosts.add(extraHost(h)));
      host.set("ExtraHosts", hosts);
    }
    body.set("HostConfig", host);

    ObjectNode endpoints = JSON.objectNode();
    endpoints.set(
        ComposeNames.network(stack, primary.network()),
        endpoint(aliases(name, service.name(), primary), primary.ipv4Address()));
    body.set("NetworkingConfig", JSON.objectNode().set("EndpointsConfig", endpoints));

    List<NetworkAttachment> extra = new ArrayList<>();
    for (ServiceNetwork n : networks.subList(1, networks.size())) {
      extra.add(
          new NetworkAttachment(
              ComposeNames.network(stack, n.network()),
              aliases(name, service.name(), n),
              n.ipv4Address()));
    }
    return new CreateRequest(name, body, extra);
  }

  /** The labels compose writes, plus Stackwright's, over the service's own. */
  static ObjectNode labels(StackSpec stack, ServiceSpec service, Inputs in) {
    Map<String, String> labels = new TreeMap<>(service.labels());
    labels.put(ComposeNames.PROJECT, stack.name());
    labels.put(ComposeNames.SERVICE, service.name());
    labels.put(ComposeNames.NUMBER, Integer.toString(in.number()));
    labels.put(ComposeNames.ONEOFF, ComposeNames.ONEOFF_FALSE);
    labels.put(ComposeNames.CONFIG_HASH, in.hash());
    labels.put(ComposeNames.VERSION, ComposeNames.COMPOSE_VERSION);
    labels.put(ComposeNames.WORKING_DIR, in.workingDir());
    labels.put(ComposeNames.CONFIG_FILES, in.configFiles());
    labels.put(ComposeNames.DEPENDS_ON, ComposeNames.dependsOn(service));
    if (in.imageId() != null) {
      labels.put(ComposeNames.IMAGE, in.imageId());
    }
    if (in.replaces() != null) {
      labels.put(ComposeNames.REPLACE, in.replaces());
    }
    labels.put(ComposeNames.REPLICAS, Integer.toString(in.desiredReplicas()));
    labels.put(ComposeNames.MODE, ComposeNames.mode(service.mode()));
    ObjectNode node = JSON.objectNode();
    labels.forEach(node::put);
    return node;
  }

  /** The container name, the service name and the configured aliases (compose's aliases). */
  static List<String> aliases(String containerName, String service, ServiceNetwork network) {
    Set<String> aliases = new LinkedHashSet<>();
    aliases.add(containerName);
    aliases.add(service);
    aliases.addAll(network.aliases());
    return List.copyOf(aliases);
  }

  static ObjectNode endpoint(List<String> aliases, String ipv4Address) {
    ObjectNode endpoint = JSON.objectNode();
    endpoint.set("Aliases", strings(aliases));
    if (ipv4Address != null && !ipv4Address.isBlank()) {
      endpoint.set("IPAMConfig", JSON.objectNode().put("IPv4Address", ipv4Address));
    }
    return endpoint;
  }

  static String portKey(PortSpec p) {
    return p.target() + "/" + p.protocol().toLowerCase(Locale.ROOT);
  }

  static ObjectNode portBindings(List<PortSpec> ports) {
    ObjectNode bindings = JSON.objectNode();
    for (PortSpec p : ports) {
      String key = portKey(p);
      ArrayNode list = bindings.has(key) ? (ArrayNode) bindings.get(key) : bindings.putArray(key);
      ObjectNode binding = list.addObject();
      binding.put("HostIp", p.hostIp() == null ? "" : p.hostIp());
      binding.put(
          "HostPort",
          p.published() == null || p.published() == 0 ? "" : Integer.toString(p.published()));
    }
    return bindings;
  }

  static ArrayNode mounts(StackSpec stack, ServiceSpec service, Inputs in) {
    ArrayNode mounts = JSON.arrayNode();
    Set<String> targets = new LinkedHashSet<>();
    for (MountSpec m : service.mounts()) {
      ObjectNode mount = mounts.addObject();
      targets.add(m.target());
      switch (m.type()) {
        case BIND -> {
          mount.put("Type", "bind");
          mount.put("Source", m.source());
          mount.put("Target", m.target());
          if (m.bindPropagation() != null) {
            mount.set("BindOptions", JSON.objectNode().put("Propagation", m.bindPropagation()));
          }
        }
        case VOLUME -> {
          mount.put("Type", "volume");
          if (m.source() != null) {
            mount.put("Source", ComposeNames.volume(stack, m.source()));
          } else if (in.inheritedVolumes().containsKey(m.target())) {
            mount.put("Source", in.inheritedVolumes().get(m.target()));
          }
          mount.put("Target", m.target());
          if (m.noCopy()) {
            mount.set("VolumeOptions", JSON.objectNode().put("NoCopy", true));
          }
        }
        case TMPFS -> {
          mount.put("Type", "tmpfs");
          mount.put("Target", m.target());
          if (m.tmpfsSizeBytes() != null) {
            mount.set("TmpfsOptions", JSON.objectNode().put("SizeBytes", m.tmpfsSizeBytes()));
          }
        }
        default -> throw new IllegalStateException("unknown mount type " + m.type());
      }
      if (m.readOnly()) {
        mount.put("ReadOnly", true);
      }
    }
    // anonymous volumes of the image (VOLUME) that the replaced container had: keep their data
    in.inheritedVolumes()
        .forEach(
            (target, volume) -> {
              if (!targets.contains(target)) {
                targets.add(target);
                ObjectNode mount = mounts.addObject();
                mount.put("Type", "volume");
                mount.put("Source", volume);
                mount.put("Target", target);
              }
            });
    for (FileMount file : in.files()) {
      ObjectNode mount = mounts.addObject();
      mount.put("Type", "bind");
      mount.put("Source", file.hostPath().toString());
      mount.put("Target", file.target());
      mount.put("ReadOnly", true);
    }
    return mounts;
  }

  /** The service's restart policy; compose's default is {@code no}. */
  static ObjectNode restartPolicy(RestartPolicy policy) {
    ObjectNode node = JSON.objectNode();
    if (policy == null || policy.condition() == RestartPolicy.Condition.NONE) {
      node.put("Name", "no");
    } else if (policy.condition() == RestartPolicy.Condition.ON_FAILURE) {
      node.put("Name", "on-failure");
      node.put("MaximumRetryCount", policy.maxAttempts() == null ? 0 : policy.maxAttempts());
    } else if (policy.condition() == RestartPolicy.Condition.UNLESS_STOPPED) {
      node.put("Name", "unless-stopped");
    } else {
      node.put("Name", "always");
    }
    return node;
  }

  /**
   * {@code HostConfig.DeviceRequests}, as compose's {@code getDeviceRequests} writes them: the
   * capabilities as one AND-group, a count of -1 for all devices (no count and no ids), no count
   * when device ids are given.
   */
  static ArrayNode deviceRequests(List<DeviceRequest> devices) {
    ArrayNode out = JSON.arrayNode();
    for (DeviceRequest d : devices) {
      ObjectNode r = out.addObject();
      r.put("Driver", d.driver() == null ? "" : d.driver());
      if (d.count() != null) {
        r.put("Count", d.count());
      } else if (d.deviceIds().isEmpty()) {
        r.put("Count", -1);
      } else {
        r.put("Count", 0);
      }
      r.set("DeviceIDs", d.deviceIds().isEmpty() ? JSON.nullNode() : strings(d.deviceIds()));
      r.set("Capabilities", JSON.arrayNode().add(strings(d.capabilities())));
      if (d.options().isEmpty()) {
        r.set("Options", JSON.nullNode());
      } else {
        ObjectNode options = r.putObject("Options");
        d.options().forEach(options::put);
      }
    }
    return out;
  }

  static ObjectNode healthcheck(HealthcheckSpec h, boolean startIntervalSupported) {
    ObjectNode node = JSON.objectNode();
    node.set("Test", strings(h.test()));
    if (h.isDisabled()) {
      return node;
    }
    putNanos(node, "Interval", h.interval());
    putNanos(node, "Timeout", h.timeout());
    putNanos(node, "StartPeriod", h.startPeriod());
    if (startIntervalSupported) {
      putNanos(node, "StartInterval", h.startInterval());
    }
    if (h.retries() != null) {
      node.put("Retries", h.retries());
    }
    return node;
  }

  static ObjectNode logConfig(LoggingSpec logging) {
    ObjectNode node = JSON.objectNode();
    node.put("Type", logging.driver());
    ObjectNode config = JSON.objectNode();
    logging.options().forEach(config::put);
    node.set("Config", config);
    return node;
  }

  /** {@code host:ip}; the {@code host=ip} form of newer compose files is accepted too. */
  static String extraHost(String entry) {
    int eq = entry.indexOf('=');
    int colon = entry.indexOf(':');
    if (eq > 0 && (colon < 0 || eq < colon)) {
      return entry.substring(0, eq) + ":" + entry.substring(eq + 1);
    }
    return entry;
  }

  /** Whole seconds, rounded up (the engine's StopTimeout unit). */
  static long seconds(Duration d) {
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }

  private static void putNanos(ObjectNode node, String key, Duration d) {
    if (d != null) {
      node.put(key, d.toNanos());
    }
  }

  private static void putText(ObjectNode node, String key, String value) {
    if (value != null) {
      node.put(key, value);
    }
  }

  static ArrayNode strings(List<String> values) {
    ArrayNode array = JSON.arrayNode();
    values.forEach(array::add);
    return array;
  }

  // ------------------------------------------------------------------ cloning

  /**
   * A create request for container {@code number} copied from an existing container of the same
   * service ({@code GET /containers/{id}/json}): its Config, HostConfig and network endpoints, with
   * the container-number and replicas labels replaced and the per-container values (hostname
   * defaulted to the old ID, the old name and ID among the aliases, MAC address) left out. Used to
   * scale a service without its spec.
   */
  public static CreateRequest cloneOf(
      JsonNode inspect, String project, int number, int desiredReplicas) {
    JsonNode config = inspect.path("Config");
    Map<String, String> labels = new TreeMap<>();
    config.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    String service = labels.get(ComposeNames.SERVICE);
    String name = ComposeNames.container(project, service, number);
    String oldId = inspect.path("Id").asText();
    String oldName = inspect.path("Name").asText().replaceFirst("^/", "");

    ObjectNode body = JSON.objectNode();
    for (String key :
        List.of(
            "Domainname",
            "User",
            "Env",
            "Cmd",
            "Entrypoint",
            "Image",
            "WorkingDir",
            "StopSignal",
            "StopTimeout",
            "Healthcheck",
            "ExposedPorts",
            "Volumes",
            "Tty",
            "OpenStdin",
            "StdinOnce")) {
      JsonNode value = config.get(key);
      if (value != null && !value.isNull()) {
        body.set(key, value.deepCopy());
      }
    }
    String hostname = config.path("Hostname").asText("");
    if (!hostname.isEmpty() && !oldId.startsWith(hostname)) {
      body.put("Hostname", hostname);
    }
    labels.put(ComposeNames.NUMBER, Integer.toString(number));
    labels.put(ComposeNames.REPLICAS, Integer.toString(desiredReplicas));
    labels.remove(ComposeNames.REPLACE);
    ObjectNode labelNode = JSON.objectNode();
    labels.forEach(labelNode::put);
    body.set("Labels", labelNode);
    body.set("HostConfig", inspect.path("HostConfig").deepCopy());

    String primary = inspect.path("HostConfig").path("NetworkMode").asText("");
    ObjectNode endpoints = JSON.objectNode();
    List<NetworkAttachment> extra = new ArrayList<>();
    for (Map.Entry<String, JsonNode> n :
        inspect.path("NetworkSettings").path("Networks").properties()) {
      List<String> aliases = new ArrayList<>();
      aliases.add(name);
      n.getValue()
          .path("Aliases")
          .forEach(
              a -> {
                String alias = a.asText();
                if (!alias.equals(oldName)
                    && !oldId.startsWith(alias)
                    && !aliases.contains(alias)) {
                  aliases.add(alias);
                }
              });
      String ip = n.getValue().path("IPAMConfig").path("IPv4Address").asText(null);
      if (n.getKey().equals(primary) || (primary.isEmpty() && endpoints.isEmpty())) {
        endpoints.set(n.getKey(), endpoint(aliases, ip));
      } else {
        extra.add(new NetworkAttachment(n.getKey(), aliases, ip));
      }
    }
    body.set("NetworkingConfig", JSON.objectNode().set("EndpointsConfig", endpoints));
    return new CreateRequest(name, body, extra);
  }
}
