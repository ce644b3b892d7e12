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

  /**
   * A builder holding this stack, to derive a changed copy: a service (network, volume, ...) added
   * under the key of one of this stack's replaces it.
   */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.services.putAll(services);
    b.networks.putAll(networks);
    b.volumes.putAll(volumes);
    b.secrets.putAll(secrets);
    b.configs.putAll(configs);
    b.extensions.putAll(extensions);
    services.keySet().forEach(k -> b.inherited.add("services." + k));
    networks.keySet().forEach(k -> b.inherited.add("networks." + k));
    volumes.keySet().forEach(k -> b.inherited.add("volumes." + k));
    secrets.keySet().forEach(k -> b.inherited.add("secrets." + k));
    configs.keySet().forEach(k -> b.inherited.add("configs." + k));
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
    checkNames(
        "networks", "network", networks, NetworkSpec::name, SpecChecks::networkName, problems);
    checkNames("volumes", "volume", volumes, VolumeSpec::name, SpecChecks::volumeName, problems);
    checkNames(
        "secrets",
        "secret",
        secrets,
        SecretSpec::name,
        n -> SpecChecks.objectName("secret", n),
        problems);
    checkNames(
        "configs",
        "config",
        configs,
        ConfigSpec::name,
        n -> SpecChecks.objectName("config", n),
        problems);
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

  private static <T> void checkNames(
      String section,
      String kind,
      Map<String, T> entries,
      java.util.function.Function<T, String> name,
      java.util.function.Function<String, String> check,
      List<SpecProblem> problems) {
    entries.forEach(
        (k, v) -> {
          String keyProblem = SpecChecks.key(kind, k);
          if (keyProblem != null) {
            problems.add(SpecProblem.at(section + "." + k, keyProblem));
          }
          String nameProblem = check.apply(name.apply(v));
          if (nameProblem != null) {
            problems.add(SpecProblem.at(section + "." + k + ".name", nameProblem));
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

  /**
   * Builds a {@link StackSpec}; {@link #build()} validates the whole stack at once and reports
   * every problem together: the stack's own, a name given twice, and (for services added as
   * builders) each service's.
   */
  public static final class Builder {
    private final String name;
    private final Map<String, Object> services = new LinkedHashMap<>();
    private final Map<String, NetworkSpec> networks = new LinkedHashMap<>();
    private final Map<String, VolumeSpec> volumes = new LinkedHashMap<>();
    private final Map<String, SecretSpec> secrets = new LinkedHashMap<>();
    private final Map<String, ConfigSpec> configs = new LinkedHashMap<>();
    private final Map<String, Object> extensions = new TreeMap<>();
    private final List<SpecProblem> duplicates = new ArrayList<>();
    // entries taken over by toBuilder(), which an entry of the same key replaces once
    private final java.util.Set<String> inherited = new java.util.HashSet<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder service(ServiceSpec service) {
      Objects.requireNonNull(service, "service");
      return addService(service.name(), service);
    }

    /**
     * Adds a service that is built with the stack, so that its problems are reported together with
     * every other service's and the stack's.
     */
    public Builder service(ServiceSpec.Builder service) {
      Objects.requireNonNull(service, "service");
      return addService(service.name(), service);
    }

    private Builder addService(String key, Object service) {
      if (inherited.remove("services." + key)) {
        services.put(key, service);
      } else if (services.putIfAbsent(key, service) != null) {
        duplicates.add(
            SpecProblem.at(
                "services." + key,
                "service '" + key + "' is defined twice; service names must be unique"));
      }
      return this;
    }

    public Builder network(NetworkSpec network) {
      return put(networks, "networks", "network", network.key(), network);
    }

    public Builder volume(VolumeSpec volume) {
      return put(volumes, "volumes", "volume", volume.key(), volume);
    }

    public Builder secret(SecretSpec secret) {
      return put(secrets, "secrets", "secret", secret.key(), secret);
    }

    public Builder config(ConfigSpec config) {
      return put(configs, "configs", "config", config.key(), config);
    }

    private <T> Builder put(Map<String, T> into, String section, String kind, String key, T value) {
      if (inherited.remove(section + "." + key)) {
        into.put(key, value);
      } else if (into.putIfAbsent(key, value) != null) {
        duplicates.add(
            SpecProblem.at(
                section + "." + key,
                kind + " '" + key + "' is defined twice; " + kind + " keys must be unique"));
      }
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
      List<SpecProblem> problems = new ArrayList<>(duplicates);
      Map<String, ServiceSpec> built = new LinkedHashMap<>();
      services.forEach(
          (key, service) -> {
            if (service instanceof ServiceSpec spec) {
              built.put(key, spec);
            } else {
              try {
                built.put(key, ((ServiceSpec.Builder) service).build());
              } catch (InvalidSpecException e) {
                problems.addAll(e.problems());
              }
            }
          });
      if (!problems.isEmpty()) {
        try {
          new StackSpec(name, built, networks, volumes, secrets, configs, extensions);
        } catch (InvalidSpecException e) {
          // the stack's own checks of what could be built, with the problems above; a service
          // that could not be built is not reported again as missing
          e.problems().stream()
              .filter(p -> !missingReference(p, services.keySet(), built.keySet()))
              .forEach(problems::add);
        }
        throw new InvalidSpecException(problems);
      }
      return new StackSpec(name, built, networks, volumes, secrets, configs, extensions);
    }

    private static boolean missingReference(
        SpecProblem problem, java.util.Set<String> declared, java.util.Set<String> built) {
      return declared.stream()
          .filter(s -> !built.contains(s))
          .anyMatch(s -> problem.path().endsWith(".depends_on." + s));
    }
  }
}
