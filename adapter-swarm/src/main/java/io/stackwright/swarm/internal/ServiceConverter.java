package io.stackwright.swarm.internal;

import com.github.dockerjava.api.model.BindOptions;
import com.github.dockerjava.api.model.BindPropagation;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.DockerObjectAccessor;
import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceGlobalModeOptions;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import com.github.dockerjava.api.model.VolumeOptions;
import io.stackwright.api.FileReference;
import io.stackwright.api.GenericResource;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.VolumeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Converts a service of a {@link StackSpec} into a Swarm service spec the way {@code docker stack
 * deploy} does (docker/cli {@code cli/compose/convert/service.go}): same names, labels, defaults
 * and orderings, so a stack deployed by either tool looks the same to the other.
 *
 * <p>docker-java 3.5 does not model a few fields of the Engine API 1.41 ({@code CapabilityAdd},
 * {@code CapabilityDrop}, {@code Ulimits}, {@code Sysctls}, {@code Pids}, placement {@code
 * Preferences}, the job modes); they are set as raw values, which docker-java serializes as they
 * are.
 */
public final class ServiceConverter {

  /** The default file mode of secrets and configs: 0444. */
  static final long DEFAULT_FILE_MODE = 0444;

  private static final Set<String> BUILT_IN_NETWORKS = Set.of("default", "bridge", "host", "none");

  /** Engine names and ids of the stack's secrets and configs, as resolved for this deployment. */
  public interface FileRefs {
    /** The engine name the service should use for the secret with this key. */
    String secretName(String key);

    /** The id of the secret with this engine name, or {@code null} while it does not exist. */
    String secretId(String name);

    String configName(String key);

    String configId(String name);
  }

  private ServiceConverter() {}

  /** The Swarm spec of {@code service}; {@code refs} names its secrets and configs. */
  public static com.github.dockerjava.api.model.ServiceSpec convert(
      StackSpec stack, ServiceSpec service, FileRefs refs) {
    String ns = stack.name();

    Map<String, String> serviceLabels = new TreeMap<>(service.deployLabels());
    serviceLabels.put(StackNames.NAMESPACE, ns);
    serviceLabels.put(StackNames.IMAGE, service.image());

    TaskSpec task =
        new TaskSpec()
            .withContainerSpec(containerSpec(stack, service, refs))
            .withResources(resources(service))
            .withRestartPolicy(restartPolicy(service.restartPolicy()))
            .withPlacement(placement(service))
            .withNetworks(networks(stack, service));
    if (service.logging() != null) {
      task.withLogDriver(
          new Driver()
              .withName(service.logging().driver())
              .withOptions(emptyToNull(service.logging().options())));
    }

    return new com.github.dockerjava.api.model.ServiceSpec()
        .withName(StackNames.scope(ns, service.name()))
        .withLabels(serviceLabels)
        .withTaskTemplate(task)
        .withMode(mode(service))
        .withUpdateConfig(updateConfig(service.updatePolicy()))
        .withRollbackConfig(updateConfig(service.rollbackPolicy()))
        .withEndpointSpec(endpointSpec(service));
  }

  private static ContainerSpec containerSpec(StackSpec stack, ServiceSpec service, FileRefs refs) {
    ContainerSpec c =
        new ContainerSpec()
            .withImage(service.image())
            .withLabels(StackNames.withNamespace(stack.name(), service.labels()))
            .withCommand(service.entrypoint())
            .withArgs(service.command())
            .withEnv(env(service.environment()))
            .withDir(service.workingDir())
            .withUser(service.user())
            .withHostname(service.hostname())
            .withReadOnly(service.readOnly() ? Boolean.TRUE : null)
            .withHosts(emptyToNull(hosts(service.extraHosts())))
            .withMounts(emptyToNull(mounts(stack, service)))
            .withSecrets(emptyToNull(secrets(service.secrets(), refs)))
            .withConfigs(emptyToNull(configs(service.configs(), refs)))
            .withHealthCheck(healthcheck(service.healthcheck()))
            .withStopSignal(service.stopSignal())
            .withStopGracePeriod(nanos(service.stopGracePeriod()))
            .withInit(service.init());
    Capabilities.Effective caps = Capabilities.effective(service.capAdd(), service.capDrop());
    if (!caps.add().isEmpty()) {
      DockerObjectAccessor.overrideRawValue(c, "CapabilityAdd", caps.add());
    }
    if (!caps.drop().isEmpty()) {
      DockerObjectAccessor.overrideRawValue(c, "CapabilityDrop", caps.drop());
    }
    if (!service.ulimits().isEmpty()) {
      List<Map<String, Object>> ulimits = new ArrayList<>();
      service
          .ulimits()
          .forEach(
              (name, u) -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("Name", name);
                entry.put("Soft", u.soft());
                entry.put("Hard", u.hard());
                ulimits.add(entry);
              });
      DockerObjectAccessor.overrideRawValue(c, "Ulimits", ulimits);
    }
    if (!service.sysctls().isEmpty()) {
      DockerObjectAccessor.overrideRawValue(c, "Sysctls", new TreeMap<>(service.sysctls()));
    }
    return c;
  }

  /** {@code K=V} sorted; a variable without a value becomes plain {@code K}. */
  static List<String> env(Map<String, String> environment) {
    if (environment.isEmpty()) {
      return null;
    }
    List<String> env = new ArrayList<>();
    environment.forEach((k, v) -> env.add(v == null ? k : k + "=" + v));
    env.sort(Comparator.naturalOrder());
    return env;
  }

  /** {@code host:ip} (or {@code host=ip}) becomes {@code "ip host"}, in the declared order. */
  static List<String> hosts(List<String> extraHosts) {
    List<String> hosts = new ArrayList<>();
    for (String entry : extraHosts) {
      int eq = entry.indexOf('=');
      int sep = eq >= 0 ? eq : entry.indexOf(':');
      if (sep < 0) {
        hosts.add(entry);
        continue;
      }
      String host = entry.substring(0, sep);
      String ip = entry.substring(sep + 1);
      if (ip.startsWith("[") && ip.endsWith("]")) {
        ip = ip.substring(1, ip.length() - 1);
      }
      hosts.add(ip + " " + host);
    }
    return hosts;
  }

  static List<Mount> mounts(StackSpec stack, ServiceSpec service) {
    List<Mount> mounts = new ArrayList<>();
    for (MountSpec m : service.mounts()) {
      Mount mount =
          new Mount().withTarget(m.target()).withReadOnly(m.readOnly() ? Boolean.TRUE : null);
      switch (m.type()) {
        case BIND -> {
          mount.withType(MountType.BIND).withSource(m.source());
          if (m.bindPropagation() != null) {
            mount.withBindOptions(
                new BindOptions().withPropagation(propagation(m.bindPropagation())));
          }
        }
        case TMPFS -> {
          mount.withType(MountType.TMPFS);
          if (m.tmpfsSizeBytes() != null) {
            mount.withTmpfsOptions(new TmpfsOptions().withSizeBytes(m.tmpfsSizeBytes()));
          }
        }
        case VOLUME -> {
          mount.withType(MountType.VOLUME);
          if (m.source() != null) {
            VolumeSpec volume = stack.volumes().get(m.source());
            VolumeOptions options = new VolumeOptions();
            if (m.noCopy()) {
              options.withNoCopy(true);
            }
            mount.withSource(volumeName(stack, m.source(), volume));
            if (volume != null && !volume.external()) {
              options.withLabels(StackNames.withNamespace(stack.name(), volume.labels()));
              if (volume.driver() != null || !volume.driverOptions().isEmpty()) {
                options.withDriverConfig(
                    new Driver()
                        .withName(volume.driver())
                        .withOptions(emptyToNull(volume.driverOptions())));
              }
            }
            mount.withVolumeOptions(options);
          }
        }
        default -> throw new IllegalStateException("unknown mount type " + m.type());
      }
      mounts.add(mount);
    }
    return mounts;
  }

  static String volumeName(StackSpec stack, String key, VolumeSpec volume) {
    if (volume == null) {
      return StackNames.scope(stack.name(), key);
    }
    if (volume.name() != null) {
      return volume.name();
    }
    return volume.external() ? key : StackNames.scope(stack.name(), key);
  }

  private static BindPropagation propagation(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "rprivate" -> BindPropagation.R_PRIVATE;
      case "private" -> BindPropagation.PRIVATE;
      case "rshared" -> BindPropagation.R_SHARED;
      case "shared" -> BindPropagation.SHARED;
      case "rslave" -> BindPropagation.R_SLAVE;
      case "slave" -> BindPropagation.SLAVE;
      default -> throw new IllegalArgumentException("unknown bind propagation " + value);
    };
  }

  static List<ContainerSpecSecret> secrets(List<FileReference> references, FileRefs refs) {
    List<ContainerSpecSecret> secrets = new ArrayList<>();
    for (FileReference ref : references) {
      String name = refs.secretName(ref.source());
      secrets.add(
          new ContainerSpecSecret()
              .withSecretName(name)
              .withSecretId(refs.secretId(name))
              .withFile(file(ref)));
    }
    secrets.sort(Comparator.comparing(ContainerSpecSecret::getSecretName));
    return secrets;
  }

  static List<ContainerSpecConfig> configs(List<FileReference> references, FileRefs refs) {
    List<ContainerSpecConfig> configs = new ArrayList<>();
    for (FileReference ref : references) {
      String name = refs.configName(ref.source());
      configs.add(
          new ContainerSpecConfig()
              .withConfigName(name)
              .withConfigID(refs.configId(name))
              .withFile(file(ref)));
    }
    configs.sort(Comparator.comparing(ContainerSpecConfig::getConfigName));
    return configs;
  }

  /** Target defaults to the source key, uid and gid to {@code "0"}, mode to 0444. */
  private static ContainerSpecFile file(FileReference ref) {
    return new ContainerSpecFile()
        .withName(ref.targetOrSource())
        .withUid(ref.uid() == null ? "0" : ref.uid())
        .withGid(ref.gid() == null ? "0" : ref.gid())
        .withMode(ref.mode() == null ? DEFAULT_FILE_MODE : ref.mode().longValue());
  }

  static HealthCheck healthcheck(HealthcheckSpec h) {
    if (h == null) {
      return null;
    }
    return new HealthCheck()
        .withTest(h.test())
        .withInterval(nanos(h.interval()))
        .withTimeout(nanos(h.timeout()))
        .withStartPeriod(nanos(h.startPeriod()))
        .withStartInterval(nanos(h.startInterval()))
        .withRetries(h.retries());
  }

  private static ResourceRequirements resources(ServiceSpec service) {
    ResourceRequirements r = new ResourceRequirements();
    if (!service.resources().limits().isEmpty()) {
      r.withLimits(resourceSpecs(service.resources().limits(), true));
    }
    List<GenericResource> generic = service.resources().genericResources();
    if (!service.resources().reservations().isEmpty() || !generic.isEmpty()) {
      ResourceSpecs reservations = resourceSpecs(service.resources().reservations(), false);
      if (!generic.isEmpty()) {
        DockerObjectAccessor.overrideRawValue(
            reservations, "GenericResources", genericResources(generic));
      }
      r.withReservations(reservations);
    }
    // devices: Swarm services cannot reserve them; SwarmValidation refuses them
    return r;
  }

  /**
   * Generic resources as the Engine API's {@code GenericResources}: an integer value is a {@code
   * DiscreteResourceSpec} (as docker stack deploy writes {@code discrete_resource_spec}), any other
   * value a {@code NamedResourceSpec}.
   */
  static List<Map<String, Object>> genericResources(List<GenericResource> resources) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (GenericResource g : resources) {
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("Kind", g.kind());
      if (g.isDiscrete()) {
        spec.put("Value", Long.parseLong(g.value()));
        out.add(Map.of("DiscreteResourceSpec", spec));
      } else {
        spec.put("Value", g.value());
        out.add(Map.of("NamedResourceSpec", spec));
      }
    }
    return out;
  }

  private static ResourceSpecs resourceSpecs(ResourceLimits limits, boolean withPids) {
    ResourceSpecs specs = new ResourceSpecs();
    if (limits.nanoCpus() != 0) {
      specs.withNanoCPUs(limits.nanoCpus());
    }
    if (limits.memoryBytes() != 0) {
      specs.withMemoryBytes(limits.memoryBytes());
    }
    if (withPids && limits.pids() != 0) {
      DockerObjectAccessor.overrideRawValue(specs, "Pids", limits.pids());
    }
    return specs;
  }

  static ServiceRestartPolicy restartPolicy(RestartPolicy policy) {
    if (policy == null) {
      return null;
    }
    ServiceRestartCondition condition =
        switch (policy.condition()) {
          case NONE -> ServiceRestartCondition.NONE;
          case ON_FAILURE -> ServiceRestartCondition.ON_FAILURE;
          // Swarm has no unless-stopped; docker stack deploy maps it to any as well
          case ANY, UNLESS_STOPPED -> ServiceRestartCondition.ANY;
        };
    return new ServiceRestartPolicy()
        .withCondition(condition)
        .withDelay(nanos(policy.delay()))
        .withMaxAttempts(policy.maxAttempts() == null ? null : policy.maxAttempts().longValue())
        .withWindow(nanos(policy.window()));
  }

  private static ServicePlacement placement(ServiceSpec service) {
    ServicePlacement p = new ServicePlacement();
    if (!service.placement().constraints().isEmpty()) {
      p.withConstraints(service.placement().constraints());
    }
    if (service.placement().maxReplicasPerNode() != null) {
      p.withMaxReplicas(service.placement().maxReplicasPerNode());
    }
    if (!service.placement().spreadPreferences().isEmpty()) {
      List<Map<String, Object>> preferences = new ArrayList<>();
      for (String descriptor : service.placement().spreadPreferences()) {
        preferences.add(Map.of("Spread", Map.of("SpreadDescriptor", descriptor)));
      }
      DockerObjectAccessor.overrideRawValue(p, "Preferences", preferences);
    }
    return p;
  }

  /**
   * Sorted by target; aliases are the configured ones plus the plain service name, the latter only
   * on user-defined networks.
   */
  static List<NetworkAttachmentConfig> networks(StackSpec stack, ServiceSpec service) {
    List<NetworkAttachmentConfig> networks = new ArrayList<>();
    for (ServiceNetwork sn : StackSpec.effectiveNetworks(service)) {
      String target = networkName(stack, sn.network());
      List<String> aliases = new ArrayList<>(sn.aliases());
      if (isUserDefined(target)) {
        aliases.add(service.name());
      }
      networks.add(
          new NetworkAttachmentConfig().withTarget(target).withAliases(emptyToNull(aliases)));
    }
    networks.sort(Comparator.comparing(NetworkAttachmentConfig::getTarget));
    return networks;
  }

  /** The engine name of a network of the stack ({@code default} may be undeclared). */
  public static String networkName(StackSpec stack, String key) {
    NetworkSpec network = stack.networks().get(key);
    if (network == null) {
      return StackNames.scope(stack.name(), key);
    }
    if (network.name() != null) {
      return network.name();
    }
    return network.external() ? key : StackNames.scope(stack.name(), key);
  }

  static boolean isUserDefined(String networkName) {
    return !BUILT_IN_NETWORKS.contains(networkName) && !networkName.startsWith("container:");
  }

  private static ServiceModeConfig mode(ServiceSpec service) {
    ServiceModeConfig mode = new ServiceModeConfig();
    switch (service.mode()) {
      case REPLICATED ->
          mode.withReplicated(new ServiceReplicatedModeOptions().withReplicas(service.replicas()));
      case GLOBAL -> mode.withGlobal(new ServiceGlobalModeOptions());
      case REPLICATED_JOB -> {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("MaxConcurrent", service.replicas());
        job.put("TotalCompletions", service.replicas());
        DockerObjectAccessor.overrideRawValue(mode, "ReplicatedJob", job);
      }
      case GLOBAL_JOB -> DockerObjectAccessor.overrideRawValue(mode, "GlobalJob", Map.of());
      default -> throw new IllegalStateException("unknown mode " + service.mode());
    }
    return mode;
  }

  static UpdateConfig updateConfig(UpdatePolicy policy) {
    if (policy == null) {
      return null;
    }
    return new UpdateConfig()
        .withParallelism((long) policy.parallelism())
        .withDelay(nanos(policy.delay()))
        .withFailureAction(
            switch (policy.failureAction()) {
              case PAUSE -> UpdateFailureAction.PAUSE;
              case CONTINUE -> UpdateFailureAction.CONTINUE;
              case ROLLBACK -> UpdateFailureAction.ROLLBACK;
            })
        .withMonitor(nanos(policy.monitor()))
        .withMaxFailureRatio((float) policy.maxFailureRatio())
        .withOrder(
            policy.order() == UpdatePolicy.Order.START_FIRST
                ? UpdateOrder.START_FIRST
                : UpdateOrder.STOP_FIRST);
  }

  /** Always sent, even without ports (as the CLI does); ports sorted by published port. */
  static EndpointSpec endpointSpec(ServiceSpec service) {
    List<PortConfig> ports = new ArrayList<>();
    for (PortSpec port : service.ports()) {
      ports.add(
          new PortConfig()
              .withProtocol(PortConfigProtocol.valueOf(port.protocol().toUpperCase(Locale.ROOT)))
              .withTargetPort(port.target())
              .withPublishedPort(port.published() == null ? 0 : port.published())
              .withPublishMode(
                  port.mode() == PortSpec.PublishMode.HOST
                      ? PortConfig.PublishMode.host
                      : PortConfig.PublishMode.ingress));
    }
    ports.sort(
        Comparator.comparingInt(PortConfig::getPublishedPort)
            .thenComparingInt(PortConfig::getTargetPort));
    return new EndpointSpec()
        .withMode(
            service.endpointMode() == ServiceSpec.EndpointMode.DNSRR
                ? EndpointResolutionMode.DNSRR
                : EndpointResolutionMode.VIP)
        .withPorts(emptyToNull(ports));
  }

  static Long nanos(Duration d) {
    return d == null ? null : d.toNanos();
  }

  private static <T> List<T> emptyToNull(List<T> list) {
    return list == null || list.isEmpty() ? null : list;
  }

  private static <V> Map<String, V> emptyToNull(Map<String, V> map) {
    return map == null || map.isEmpty() ? null : map;
  }

  /** Capability names as the CLI normalizes them ({@code opts/capabilities.go}). */
  public static final class Capabilities {
    static final String ALL = "ALL";
    static final String RESET = "RESET";

    /** The lists the engine receives. */
    public record Effective(List<String> add, List<String> drop) {}

    private Capabilities() {}

    /** Upper case, {@code CAP_} prefix except for {@code ALL} and {@code RESET}. */
    public static String normalize(String name) {
      String n = name.trim().toUpperCase(Locale.ROOT);
      if (n.equals(ALL) || n.equals(RESET)) {
        return n;
      }
      return n.startsWith("CAP_") ? n : "CAP_" + n;
    }

    /**
     * Normalized, deduplicated and sorted; {@code ALL} replaces the rest of its list, a capability
     * in both lists stays only in add, {@code RESET} is dropped.
     */
    public static Effective effective(List<String> add, List<String> drop) {
      Set<String> adds = normalizedSet(add);
      Set<String> drops = normalizedSet(drop);
      if (adds.contains(ALL)) {
        adds = new TreeSet<>(Set.of(ALL));
      }
      if (drops.contains(ALL)) {
        drops = new TreeSet<>(Set.of(ALL));
      }
      drops.removeAll(adds);
      return new Effective(List.copyOf(adds), List.copyOf(drops));
    }

    private static Set<String> normalizedSet(List<String> names) {
      Set<String> set = new TreeSet<>();
      for (String name : names) {
        String n = normalize(name);
        if (!n.equals(RESET)) {
          set.add(n);
        }
      }
      return set;
    }
  }
}
