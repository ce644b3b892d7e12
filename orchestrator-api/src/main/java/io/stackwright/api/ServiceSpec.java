package io.stackwright.api;

import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.scaling.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The desired state of one service: what a Compose service and a Swarm service can say. A {@code
 * null} component means "not set": the image's or the platform's default applies.
 *
 * @param name the service's key in the stack
 * @param image the image reference, exactly as written
 * @param entrypoint overrides the image's entrypoint, or {@code null}
 * @param command overrides the image's command, or {@code null}
 * @param environment environment variables
 * @param labels labels of the containers
 * @param deployLabels labels of the service itself (Compose {@code deploy.labels})
 * @param mode replicated, global, or one of the job modes
 * @param replicas desired replicas in replicated modes
 * @param endpointMode virtual IP or DNS round-robin
 * @param extensions the service's {@code x-*} keys, for Stackwright's own extensions
 * @param deployExtensions the {@code x-*} keys under the service's {@code deploy}
 * @param health Stackwright's probes and recovery for the service ({@code x-stackwright.health})
 * @param scaling Stackwright's autoscaling of the service ({@code x-stackwright.autoscaling})
 * @param routing how traffic reaches the service through a router ({@code x-stackwright.routing})
 * @param rollout how new versions of the service are rolled out ({@code x-stackwright.rollout})
 */
public record ServiceSpec(
    String name,
    String image,
    List<String> entrypoint,
    List<String> command,
    Map<String, String> environment,
    Map<String, String> labels,
    Map<String, String> deployLabels,
    List<PortSpec> ports,
    List<ServiceNetwork> networks,
    List<MountSpec> mounts,
    List<FileReference> secrets,
    List<FileReference> configs,
    HealthcheckSpec healthcheck,
    Resources resources,
    Mode mode,
    int replicas,
    Placement placement,
    UpdatePolicy updatePolicy,
    UpdatePolicy rollbackPolicy,
    RestartPolicy restartPolicy,
    String user,
    String workingDir,
    String hostname,
    boolean readOnly,
    List<String> capAdd,
    List<String> capDrop,
    List<String> securityOpt,
    String stopSignal,
    Duration stopGracePeriod,
    Boolean init,
    Map<String, Ulimit> ulimits,
    Map<String, String> sysctls,
    LoggingSpec logging,
    EndpointMode endpointMode,
    Map<String, DependsOn> dependsOn,
    List<String> extraHosts,
    Map<String, Object> extensions,
    Map<String, Object> deployExtensions,
    HealthPolicy health,
    ScalingPolicy scaling,
    RoutingPolicy routing,
    RolloutPolicy rollout) {

  public enum Mode {
    REPLICATED,
    GLOBAL,
    REPLICATED_JOB,
    GLOBAL_JOB
  }

  public enum EndpointMode {
    VIP,
    DNSRR
  }

  public ServiceSpec {
    List<SpecProblem> problems = new ArrayList<>();
    String at = "services." + name;
    String nameProblem = SpecChecks.serviceName(name);
    if (nameProblem != null) {
      problems.add(SpecProblem.at(at, nameProblem));
    }
    String imageProblem = SpecChecks.imageReference(image);
    if (imageProblem != null) {
      problems.add(SpecProblem.at(at + ".image", imageProblem));
    }
    if (replicas < 0) {
      problems.add(
          SpecProblem.at(
              at + ".deploy.replicas",
              "cannot be negative (" + replicas + "); allowed: 0 or more"));
    }
    String grace = SpecChecks.nonNegative(stopGracePeriod);
    if (grace != null) {
      problems.add(SpecProblem.at(at + ".stop_grace_period", grace));
    }
    checkPorts(at, ports, problems);
    SpecChecks.throwIfAny(problems);
    entrypoint = Copies.nullableList(entrypoint);
    command = Copies.nullableList(command);
    environment = Copies.sortedMap(environment);
    labels = Copies.sortedMap(labels);
    deployLabels = Copies.sortedMap(deployLabels);
    ports = Copies.list(ports);
    networks = Copies.list(networks);
    mounts = Copies.list(mounts);
    secrets = Copies.list(secrets);
    configs = Copies.list(configs);
    resources = Objects.requireNonNullElse(resources, Resources.NONE);
    mode = Objects.requireNonNullElse(mode, Mode.REPLICATED);
    placement = Objects.requireNonNullElse(placement, Placement.ANYWHERE);
    capAdd = Copies.list(capAdd);
    capDrop = Copies.list(capDrop);
    securityOpt = Copies.list(securityOpt);
    ulimits = Copies.sortedMap(ulimits);
    sysctls = Copies.sortedMap(sysctls);
    endpointMode = Objects.requireNonNullElse(endpointMode, EndpointMode.VIP);
    dependsOn = Copies.orderedMap(dependsOn);
    extraHosts = Copies.list(extraHosts);
    extensions = Copies.sortedMap(extensions);
    deployExtensions = Copies.sortedMap(deployExtensions);
    health = Objects.requireNonNullElse(health, HealthPolicy.NONE);
    scaling = Objects.requireNonNullElse(scaling, ScalingPolicy.NONE);
    routing = Objects.requireNonNullElse(routing, RoutingPolicy.NONE);
    rollout = Objects.requireNonNullElse(rollout, RolloutPolicy.NONE);
  }

  /** Two ports of one service cannot take the same host port (and address) for one protocol. */
  private static void checkPorts(String at, List<PortSpec> ports, List<SpecProblem> problems) {
    if (ports == null) {
      return;
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < ports.size(); i++) {
      PortSpec port = ports.get(i);
      if (port == null || port.published() == null || port.published() == 0) {
        continue;
      }
      String key =
          Objects.requireNonNullElse(port.hostIp(), "")
              + ":"
              + port.published()
              + "/"
              + port.protocol();
      Integer first = seen.putIfAbsent(key, i);
      if (first != null) {
        problems.add(
            SpecProblem.at(
                at + ".ports[" + i + "]",
                "publishes "
                    + port.published()
                    + "/"
                    + port.protocol()
                    + " again (already published by ports["
                    + first
                    + "])"));
      }
    }
  }

  /**
   * This service under another name, everything else equal: the copy a side-by-side rollout runs
   * beside it, for instance.
   */
  public ServiceSpec withName(String name) {
    return new ServiceSpec(
        name,
        this.image,
        this.entrypoint,
        this.command,
        this.environment,
        this.labels,
        this.deployLabels,
        this.ports,
        this.networks,
        this.mounts,
        this.secrets,
        this.configs,
        this.healthcheck,
        this.resources,
        this.mode,
        this.replicas,
        this.placement,
        this.updatePolicy,
        this.rollbackPolicy,
        this.restartPolicy,
        this.user,
        this.workingDir,
        this.hostname,
        this.readOnly,
        this.capAdd,
        this.capDrop,
        this.securityOpt,
        this.stopSignal,
        this.stopGracePeriod,
        this.init,
        this.ulimits,
        this.sysctls,
        this.logging,
        this.endpointMode,
        this.dependsOn,
        this.extraHosts,
        this.extensions,
        this.deployExtensions,
        this.health,
        this.scaling,
        this.routing,
        this.rollout);
  }

  /** Starts a service with one replica of {@code image}. */
  public static Builder builder(String name, String image) {
    return new Builder(name, image);
  }

  /** A builder holding this service's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(name, image);
    b.entrypoint = entrypoint;
    b.command = command;
    b.environment.putAll(environment);
    b.labels.putAll(labels);
    b.deployLabels.putAll(deployLabels);
    b.ports.addAll(ports);
    b.networks.addAll(networks);
    b.mounts.addAll(mounts);
    b.secrets.addAll(secrets);
    b.configs.addAll(configs);
    b.healthcheck = healthcheck;
    b.resources = resources;
    b.mode = mode;
    b.replicas = replicas;
    b.placement = placement;
    b.updatePolicy = updatePolicy;
    b.rollbackPolicy = rollbackPolicy;
    b.restartPolicy = restartPolicy;
    b.user = user;
    b.workingDir = workingDir;
    b.hostname = hostname;
    b.readOnly = readOnly;
    b.capAdd.addAll(capAdd);
    b.capDrop.addAll(capDrop);
    b.securityOpt.addAll(securityOpt);
    b.stopSignal = stopSignal;
    b.stopGracePeriod = stopGracePeriod;
    b.init = init;
    b.ulimits.putAll(ulimits);
    b.sysctls.putAll(sysctls);
    b.logging = logging;
    b.endpointMode = endpointMode;
    b.dependsOn.putAll(dependsOn);
    b.extraHosts.addAll(extraHosts);
    b.extensions.putAll(extensions);
    b.deployExtensions.putAll(deployExtensions);
    b.health = health;
    b.scaling = scaling;
    b.routing = routing;
    b.rollout = rollout;
    return b;
  }

  /** Builds a {@link ServiceSpec}; every setter returns the builder. */
  public static final class Builder {
    private final String name;
    private String image;
    private List<String> entrypoint;
    private List<String> command;
    private final Map<String, String> environment = new TreeMap<>();
    private final Map<String, String> labels = new TreeMap<>();
    private final Map<String, String> deployLabels = new TreeMap<>();
    private final List<PortSpec> ports = new ArrayList<>();
    private final List<ServiceNetwork> networks = new ArrayList<>();
    private final List<MountSpec> mounts = new ArrayList<>();
    private final List<FileReference> secrets = new ArrayList<>();
    private final List<FileReference> configs = new ArrayList<>();
    private HealthcheckSpec healthcheck;
    private Resources resources = Resources.NONE;
    private Mode mode = Mode.REPLICATED;
    private int replicas = 1;
    private Placement placement = Placement.ANYWHERE;
    private UpdatePolicy updatePolicy;
    private UpdatePolicy rollbackPolicy;
    private RestartPolicy restartPolicy;
    private String user;
    private String workingDir;
    private String hostname;
    private boolean readOnly;
    private final List<String> capAdd = new ArrayList<>();
    private final List<String> capDrop = new ArrayList<>();
    private final List<String> securityOpt = new ArrayList<>();
    private String stopSignal;
    private Duration stopGracePeriod;
    private Boolean init;
    private final Map<String, Ulimit> ulimits = new TreeMap<>();
    private final Map<String, String> sysctls = new TreeMap<>();
    private LoggingSpec logging;
    private EndpointMode endpointMode = EndpointMode.VIP;
    private final Map<String, DependsOn> dependsOn = new LinkedHashMap<>();
    private final List<String> extraHosts = new ArrayList<>();
    private final Map<String, Object> extensions = new TreeMap<>();
    private final Map<String, Object> deployExtensions = new TreeMap<>();
    private HealthPolicy health = HealthPolicy.NONE;
    private ScalingPolicy scaling = ScalingPolicy.NONE;
    private RoutingPolicy routing = RoutingPolicy.NONE;
    private RolloutPolicy rollout = RolloutPolicy.NONE;

    private Builder(String name, String image) {
      this.name = name;
      this.image = image;
    }

    /** The name the service will have. */
    public String name() {
      return name;
    }

    public Builder image(String image) {
      this.image = image;
      return this;
    }

    public Builder entrypoint(List<String> entrypoint) {
      this.entrypoint = entrypoint;
      return this;
    }

    public Builder command(List<String> command) {
      this.command = command;
      return this;
    }

    public Builder command(String... command) {
      return command(List.of(command));
    }

    public Builder env(String key, String value) {
      environment.put(key, value);
      return this;
    }

    public Builder environment(Map<String, String> values) {
      environment.clear();
      environment.putAll(values);
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder deployLabel(String key, String value) {
      deployLabels.put(key, value);
      return this;
    }

    public Builder port(PortSpec port) {
      ports.add(port);
      return this;
    }

    public Builder network(String network, String... aliases) {
      networks.add(new ServiceNetwork(network, List.of(aliases), null));
      return this;
    }

    public Builder network(ServiceNetwork network) {
      networks.add(network);
      return this;
    }

    /** Replaces the service's networks. */
    public Builder networks(List<ServiceNetwork> networks) {
      this.networks.clear();
      this.networks.addAll(networks);
      return this;
    }

    public Builder mount(MountSpec mount) {
      mounts.add(mount);
      return this;
    }

    public Builder secret(FileReference secret) {
      secrets.add(secret);
      return this;
    }

    public Builder secret(String source) {
      return secret(FileReference.of(source));
    }

    public Builder config(FileReference config) {
      configs.add(config);
      return this;
    }

    public Builder config(String source, String target) {
      return config(new FileReference(source, target, null, null, null));
    }

    public Builder healthcheck(HealthcheckSpec healthcheck) {
      this.healthcheck = healthcheck;
      return this;
    }

    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    public Builder mode(Mode mode) {
      this.mode = mode;
      return this;
    }

    public Builder replicas(int replicas) {
      this.replicas = replicas;
      return this;
    }

    public Builder placement(Placement placement) {
      this.placement = placement;
      return this;
    }

    public Builder updatePolicy(UpdatePolicy updatePolicy) {
      this.updatePolicy = updatePolicy;
      return this;
    }

    public Builder rollbackPolicy(UpdatePolicy rollbackPolicy) {
      this.rollbackPolicy = rollbackPolicy;
      return this;
    }

    public Builder restartPolicy(RestartPolicy restartPolicy) {
      this.restartPolicy = restartPolicy;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder workingDir(String workingDir) {
      this.workingDir = workingDir;
      return this;
    }

    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    public Builder capAdd(String capability) {
      capAdd.add(capability);
      return this;
    }

    public Builder capDrop(String capability) {
      capDrop.add(capability);
      return this;
    }

    public Builder securityOpt(String option) {
      securityOpt.add(option);
      return this;
    }

    public Builder stopSignal(String stopSignal) {
      this.stopSignal = stopSignal;
      return this;
    }

    public Builder stopGracePeriod(Duration stopGracePeriod) {
      this.stopGracePeriod = stopGracePeriod;
      return this;
    }

    public Builder init(Boolean init) {
      this.init = init;
      return this;
    }

    public Builder ulimit(String name, Ulimit ulimit) {
      ulimits.put(name, ulimit);
      return this;
    }

    public Builder sysctl(String key, String value) {
      sysctls.put(key, value);
      return this;
    }

    public Builder logging(LoggingSpec logging) {
      this.logging = logging;
      return this;
    }

    public Builder endpointMode(EndpointMode endpointMode) {
      this.endpointMode = endpointMode;
      return this;
    }

    public Builder dependsOn(String service, DependsOn dependency) {
      dependsOn.put(service, dependency);
      return this;
    }

    public Builder extraHost(String hostAndIp) {
      extraHosts.add(hostAndIp);
      return this;
    }

    public Builder extension(String key, Object value) {
      extensions.put(key, value);
      return this;
    }

    /** An {@code x-*} key under the service's {@code deploy}. */
    public Builder deployExtension(String key, Object value) {
      deployExtensions.put(key, value);
      return this;
    }

    /** Probes, recovery and alerting of the service's replicas. */
    public Builder health(HealthPolicy health) {
      this.health = health;
      return this;
    }

    /** Horizontal autoscaling of the service. */
    public Builder scaling(ScalingPolicy scaling) {
      this.scaling = scaling;
      return this;
    }

    /** How traffic reaches the service through a router. */
    public Builder routing(RoutingPolicy routing) {
      this.routing = routing;
      return this;
    }

    /** How new versions of the service are rolled out. */
    public Builder rollout(RolloutPolicy rollout) {
      this.rollout = rollout;
      return this;
    }

    public ServiceSpec build() {
      return new ServiceSpec(
          name,
          image,
          entrypoint,
          command,
          environment,
          labels,
          deployLabels,
          ports,
          networks,
          mounts,
          secrets,
          configs,
          healthcheck,
          resources,
          mode,
          replicas,
          placement,
          updatePolicy,
          rollbackPolicy,
          restartPolicy,
          user,
          workingDir,
          hostname,
          readOnly,
          capAdd,
          capDrop,
          securityOpt,
          stopSignal,
          stopGracePeriod,
          init,
          ulimits,
          sysctls,
          logging,
          endpointMode,
          dependsOn,
          extraHosts,
          extensions,
          deployExtensions,
          health,
          scaling,
          routing,
          rollout);
    }
  }
}
