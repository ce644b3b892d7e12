package io.stackwright.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The desired state of a whole stack: its services and the networks, volumes, secrets and configs
 * they use. A {@code StackSpec} is always complete and consistent: the constructor rejects, with
 * every problem listed, a stack that references something it does not declare.
 *
 * @param name the stack (Compose project) name
 * @param services services by key, in declaration order
 * @param networks declared networks by key; {@code default} is implicit when a service has none
 * @param extensions top-level {@code x-*} keys
 */
public record StackSpec(
    String name,
    Map<String, ServiceSpec> services,
    Map<String, NetworkSpec> networks,
    Map<String, VolumeSpec> volumes,
    Map<String, SecretSpec> secrets,
    Map<String, ConfigSpec> configs,
    Map<String, Object> extensions) {

  /** The network a service joins when it names none. */
  public static final String DEFAULT_NETWORK = "default";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  public StackSpec {
    services = Copies.orderedMap(services);
    networks = Copies.orderedMap(networks);
    volumes = Copies.orderedMap(volumes);
    secrets = Copies.orderedMap(secrets);
    configs = Copies.orderedMap(configs);
    extensions = Copies.sortedMap(extensions);
    List<SpecProblem> problems = problems(name, services, networks, volumes, secrets, configs);
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.services.putAll(services);
    b.networks.putAll(networks);
    b.volumes.putAll(volumes);
    b.secrets.putAll(secrets);
    b.configs.putAll(configs);
    b.extensions.putAll(extensions);
    return b;
  }

  /** The service with this key, or an exception naming the ones that exist. */
  public ServiceSpec service(String key) {
    ServiceSpec service = services.get(key);
    if (service == null) {
      throw new NotFoundException(
          "stack " + name + " has no service '" + key + "'; it has " + services.keySet());
    }
    return service;
  }

  /** The networks a service is attached to, {@code default} when it names none. */
  public static List<ServiceNetwork> effectiveNetworks(ServiceSpec service) {
    return service.networks().isEmpty()
        ? List.of(ServiceNetwork.of(DEFAULT_NETWORK))
        : service.networks();
  }

  private static List<SpecProblem> problems(
      String name,
      Map<String, ServiceSpec> services,
      Map<String, NetworkSpec> networks,
      Map<String, VolumeSpec> volumes,
      Map<String, SecretSpec> secrets,
      Map<String, ConfigSpec> configs) {
    List<SpecProblem> problems = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      problems.add(
          SpecProblem.at(
              "name",
              "stack name '"
                  + name
                  + "' must be lower-case letters, digits, '_' or '-', starting with a letter or digit"));
    }
    checkKeys("networks", networks, NetworkSpec::key, problems);
    checkKeys("volumes", volumes, VolumeSpec::key, problems);
    checkKeys("secrets", secrets, SecretSpec::key, problems);
    checkKeys("configs", configs, ConfigSpec::key, problems);
    services.forEach(
        (key, service) -> {
          String at = "services." + key;
          if (!key.equals(service.name())) {
            problems.add(SpecProblem.at(at, "is keyed '" + key + "' but named " + service.name()));
          }
          for (int i = 0; i < service.networks().size(); i++) {
            String network = service.networks().get(i).network();
            if (!networks.containsKey(network) && !DEFAULT_NETWORK.equals(network)) {
              problems.add(
                  SpecProblem.at(
                      at + ".networks[" + i + "]",
                      "network '" + network + "' is not declared; declared: " + networks.keySet()));
            }
          }
          for (int i = 0; i < service.mounts().size(); i++) {
            MountSpec mount = service.mounts().get(i);
            if (mount.type() == MountSpec.Type.VOLUME
                && mount.source() != null
                && !volumes.containsKey(mount.source())) {
              problems.add(
                  SpecProblem.at(
                      at + ".volumes[" + i + "]",
                      "volume '"
                          + mount.source()
                          + "' is not declared; declared: "
                          + volumes.keySet()));
            }
          }
          checkReferences(at + ".secrets", service.secrets(), secrets, "secret", problems);
          checkReferences(at + ".configs", service.configs(), configs, "config", problems);
          service
              .dependsOn()
              .keySet()
              .forEach(
                  dependency -> {
                    if (!services.containsKey(dependency)) {
                      problems.add(
                          SpecProblem.at(
                              at + ".depends_on." + dependency,
                              "service '" + dependency + "' is not defined in the stack"));
                    } else if (dependency.equals(key)) {
                      problems.add(
                          SpecProblem.at(
                              at + ".depends_on." + dependency,
                              "a service cannot depend on itself"));
                    }
                  });
          if ((service.mode() == ServiceSpec.Mode.GLOBAL
                  || service.mode() == ServiceSpec.Mode.GLOBAL_JOB)
              && service.replicas() != 1) {
            problems.add(
                SpecProblem.at(
                    at + ".deploy.replicas", "replicas can only be used with replicated modes"));
          }
        });
    return problems;
  }

  private static <T> void checkKeys(
      String section,
      Map<String, T> entries,
      java.util.function.Function<T, String> key,
      List<SpecProblem> problems) {
    entries.forEach(
        (k, v) -> {
          if (!k.equals(key.apply(v))) {
            problems.add(
                SpecProblem.at(
                    section + "." + k, "is keyed '" + k + "' but its key is " + key.apply(v)));
          }
        });
  }

  private static void checkReferences(
      String at,
      List<FileReference> references,
      Map<String, ?> declared,
      String kind,
      List<SpecProblem> problems) {
    for (int i = 0; i < references.size(); i++) {
      String source = references.get(i).source();
      if (!declared.containsKey(source)) {
        problems.add(
            SpecProblem.at(
                at + "[" + i + "]",
                kind + " '" + source + "' is not declared; declared: " + declared.keySet()));
      }
    }
  }

  /** Builds a {@link StackSpec}; {@link #build()} validates the whole stack at once. */
  public static final class Builder {
    private final String name;
    private final Map<String, ServiceSpec> services = new LinkedHashMap<>();
    private final Map<String, NetworkSpec> networks = new LinkedHashMap<>();
    private final Map<String, VolumeSpec> volumes = new LinkedHashMap<>();
    private final Map<String, SecretSpec> secrets = new LinkedHashMap<>();
    private final Map<String, ConfigSpec> configs = new LinkedHashMap<>();
    private final Map<String, Object> extensions = new TreeMap<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder service(ServiceSpec service) {
      services.put(service.name(), Objects.requireNonNull(service));
      return this;
    }

    public Builder network(NetworkSpec network) {
      networks.put(network.key(), network);
      return this;
    }

    public Builder volume(VolumeSpec volume) {
      volumes.put(volume.key(), volume);
      return this;
    }

    public Builder secret(SecretSpec secret) {
      secrets.put(secret.key(), secret);
      return this;
    }

    public Builder config(ConfigSpec config) {
      configs.put(config.key(), config);
      return this;
    }

    public Builder extension(String key, Object value) {
      extensions.put(key, value);
      return this;
    }

    /**
     * @throws InvalidSpecException listing every problem, when the stack is inconsistent
     */
    public StackSpec build() {
      return new StackSpec(name, services, networks, volumes, secrets, configs, extensions);
    }
  }
}
