package io.stackwright.api.tenancy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tenant: who owns stacks, what it may use, which admission level applies to it and what it may
 * reach beyond its own stacks. Configured on the orchestrator's builder; its quota is written to
 * the store, so every process sharing the store enforces the same one.
 *
 * @param name the tenant's name (also the {@code io.stackwright.tenant} label of its resources)
 * @param quota what it may use at once
 * @param limits per-replica defaults and bounds
 * @param level the admission level
 * @param mode what a violation of the level does
 * @param hostPorts the host ports it may publish; empty: none
 * @param hosts the host names its routes may claim: exact ({@code shop.acme.example}) or a wildcard
 *     of one or more labels ({@code *.acme.example}); empty: none
 * @param sharedNetworks engine networks of others its services may attach to
 * @param sharedSecrets external secrets of others its stacks may use
 * @param sharedConfigs external configs of others its stacks may use
 * @param allowedCapabilities what the restricted level lets a service add back after dropping all
 */
public record Tenant(
    String name,
    TenantQuota quota,
    LimitRange limits,
    PolicyLevel level,
    PolicyMode mode,
    List<PortRange> hostPorts,
    List<String> hosts,
    Set<String> sharedNetworks,
    Set<String> sharedSecrets,
    Set<String> sharedConfigs,
    Set<String> allowedCapabilities) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
  private static final Pattern HOST =
      Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  /** The restricted level's default allowed capability (Pod Security's only one). */
  public static final Set<String> DEFAULT_ALLOWED_CAPABILITIES = Set.of("NET_BIND_SERVICE");

  public Tenant {
    List<String> problems = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      problems.add(
          "name '" + name + "' must be 1 to 63 lower-case letters, digits, '_', '.' or '-'");
    }
    hosts = List.copyOf(Objects.requireNonNullElse(hosts, List.of()));
    for (String host : hosts) {
      if (!HOST.matcher(host).matches()) {
        problems.add(
            "host '" + host + "' must be a lower-case host name, optionally starting with '*.'");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid tenant: " + String.join("; ", problems));
    }
    quota = Objects.requireNonNullElse(quota, TenantQuota.UNLIMITED);
    limits = Objects.requireNonNullElse(limits, LimitRange.NONE);
    level = Objects.requireNonNullElse(level, PolicyLevel.BASELINE);
    mode = Objects.requireNonNullElse(mode, PolicyMode.ENFORCE);
    hostPorts = List.copyOf(Objects.requireNonNullElse(hostPorts, List.of()));
    sharedNetworks = Set.copyOf(Objects.requireNonNullElse(sharedNetworks, Set.of()));
    sharedSecrets = Set.copyOf(Objects.requireNonNullElse(sharedSecrets, Set.of()));
    sharedConfigs = Set.copyOf(Objects.requireNonNullElse(sharedConfigs, Set.of()));
    allowedCapabilities =
        Set.copyOf(Objects.requireNonNullElse(allowedCapabilities, DEFAULT_ALLOWED_CAPABILITIES));
  }

  /** Whether a route of this tenant may claim {@code host}. */
  public boolean mayClaimHost(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    for (String granted : hosts) {
      if (granted.startsWith("*.")) {
        String suffix = granted.substring(1);
        if (h.endsWith(suffix) && h.length() > suffix.length()) {
          return true;
        }
      } else if (granted.equals(h)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this tenant may publish {@code port} on the host. */
  public boolean mayPublish(int port) {
    return hostPorts.stream().anyMatch(r -> r.contains(port));
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link Tenant}; by default baseline, enforced, unlimited, no ports, no hosts. */
  public static final class Builder {
    private final String name;
    private TenantQuota quota = TenantQuota.UNLIMITED;
    private LimitRange limits = LimitRange.NONE;
    private PolicyLevel level = PolicyLevel.BASELINE;
    private PolicyMode mode = PolicyMode.ENFORCE;
    private final List<PortRange> hostPorts = new ArrayList<>();
    private final List<String> hosts = new ArrayList<>();
    private final Set<String> sharedNetworks = new LinkedHashSet<>();
    private final Set<String> sharedSecrets = new LinkedHashSet<>();
    private final Set<String> sharedConfigs = new LinkedHashSet<>();
    private Set<String> allowedCapabilities = DEFAULT_ALLOWED_CAPABILITIES;

    private Builder(String name) {
      this.name = name;
    }

    public Builder quota(TenantQuota quota) {
      this.quota = quota;
      return this;
    }

    public Builder limits(LimitRange limits) {
      this.limits = limits;
      return this;
    }

    public Builder policy(PolicyLevel level, PolicyMode mode) {
      this.level = level;
      this.mode = mode;
      return this;
    }

    public Builder hostPorts(PortRange range) {
      hostPorts.add(range);
      return this;
    }

    public Builder host(String host) {
      hosts.add(host);
      return this;
    }

    public Builder sharedNetwork(String network) {
      sharedNetworks.add(network);
      return this;
    }

    public Builder sharedSecret(String secret) {
      sharedSecrets.add(secret);
      return this;
    }

    public Builder sharedConfig(String config) {
      sharedConfigs.add(config);
      return this;
    }

    public Builder allowedCapabilities(Set<String> capabilities) {
      this.allowedCapabilities = capabilities;
      return this;
    }

    public Tenant build() {
      return new Tenant(
          name,
          quota,
          limits,
          level,
          mode,
          hostPorts,
          hosts,
          sharedNetworks,
          sharedSecrets,
          sharedConfigs,
          allowedCapabilities);
    }
  }
}
