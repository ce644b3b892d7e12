package io.stackwright.core.admission.internal;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.Route;
import io.stackwright.api.tenancy.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What keeps tenants apart, checked at admission: a tenant's services attach only to its own
 * networks or ones shared with it, its stacks use only its own (or shared) external secrets and
 * configs, name no engine object after another tenant's stack, publish only the host ports granted
 * to it, and its routes claim only the host names granted to it.
 *
 * <p>An engine object of a stack is named {@code <stack>_<key>} (what {@code docker stack} and
 * {@code docker compose} do), so the owner of a name is the tenant owning the stack its prefix
 * names.
 */
public final class Isolation {
  private Isolation() {}

  /** A route rule's Host matchers: {@code Host(`a.example`, `b.example`)}. */
  private static final Pattern HOST_MATCHER = Pattern.compile("\\bHost\\(([^)]*)\\)");

  private static final Pattern QUOTED = Pattern.compile("[`\"']([^`\"']+)[`\"']");
  private static final Pattern TRAEFIK_RULE_LABEL =
      Pattern.compile("traefik\\.http\\.routers\\.[^.]+\\.rule");

  /**
   * Every isolation problem of {@code stack} for {@code tenant}.
   *
   * @param ownerOfStack the tenant owning a stack, from the store
   */
  public static List<SpecProblem> check(
      StackSpec stack, Tenant tenant, Function<String, Optional<String>> ownerOfStack) {
    List<SpecProblem> problems = new ArrayList<>();
    for (NetworkSpec network : stack.networks().values()) {
      if (PodSecurity.isHostNetwork(network)) {
        continue; // the host network is the policy level's to judge
      }
      object(
          stack,
          tenant,
          ownerOfStack,
          "networks." + network.key(),
          "network",
          network.name(),
          network.external(),
          tenant.sharedNetworks(),
          problems);
    }
    for (SecretSpec secret : stack.secrets().values()) {
      object(
          stack,
          tenant,
          ownerOfStack,
          "secrets." + secret.key(),
          "secret",
          secret.name(),
          secret.external(),
          tenant.sharedSecrets(),
          problems);
    }
    for (ConfigSpec config : stack.configs().values()) {
      object(
          stack,
          tenant,
          ownerOfStack,
          "configs." + config.key(),
          "config",
          config.name(),
          config.external(),
          tenant.sharedConfigs(),
          problems);
    }
    for (ServiceSpec service : stack.services().values()) {
      String at = "services." + service.name();
      for (int i = 0; i < service.ports().size(); i++) {
        PortSpec port = service.ports().get(i);
        if (port.published() != null
            && port.published() != 0
            && !tenant.mayPublish(port.published())) {
          problems.add(
              SpecProblem.at(
                  at + ".ports[" + i + "]",
                  "publishes host port "
                      + port.published()
                      + ", which tenant "
                      + tenant.name()
                      + " may not publish (granted: "
                      + (tenant.hostPorts().isEmpty() ? "none" : tenant.hostPorts())
                      + ")"));
        }
      }
      List<Route> routes = service.routing().routes();
      for (int i = 0; i < routes.size(); i++) {
        rule(
            tenant,
            at + ".x-stackwright.routing.routes." + routes.get(i).name(),
            "route " + routes.get(i).name(),
            routes.get(i).rule(),
            problems);
      }
      for (Map<String, String> labels : List.of(service.labels(), service.deployLabels())) {
        labels.forEach(
            (key, value) -> {
              if (TRAEFIK_RULE_LABEL.matcher(key).matches()) {
                rule(tenant, at + ".labels." + key, "the Traefik label " + key, value, problems);
              }
            });
      }
    }
    return problems;
  }

  private static void rule(
      Tenant tenant, String path, String what, String rule, List<SpecProblem> problems) {
    if (rule.contains("HostRegexp") || rule.contains("HostSNIRegexp")) {
      problems.add(
          SpecProblem.at(
              path,
              what
                  + " matches hosts by a regular expression, which cannot be checked against the"
                  + " host names granted to tenant "
                  + tenant.name()
                  + "; use Host(`...`)"));
      return;
    }
    List<String> hosts = hosts(rule);
    if (hosts.isEmpty()) {
      problems.add(
          SpecProblem.at(
              path,
              what
                  + " has no Host matcher, so it would claim every host name; tenant "
                  + tenant.name()
                  + " may claim only "
                  + granted(tenant)));
      return;
    }
    for (String host : hosts) {
      if (!tenant.mayClaimHost(host)) {
        problems.add(
            SpecProblem.at(
                path,
                what
                    + " claims host "
                    + host
                    + ", which is not granted to tenant "
                    + tenant.name()
                    + " (granted: "
                    + granted(tenant)
                    + ")"));
      }
    }
  }

  private static String granted(Tenant tenant) {
    return tenant.hosts().isEmpty() ? "none" : String.join(", ", tenant.hosts());
  }

  /** The host names of a rule's {@code Host(...)} matchers. */
  static List<String> hosts(String rule) {
    List<String> hosts = new ArrayList<>();
    Matcher matcher = HOST_MATCHER.matcher(rule);
    while (matcher.find()) {
      Matcher quoted = QUOTED.matcher(matcher.group(1));
      while (quoted.find()) {
        hosts.add(quoted.group(1).trim());
      }
    }
    return hosts;
  }

  private static void object(
      StackSpec stack,
      Tenant tenant,
      Function<String, Optional<String>> ownerOfStack,
      String path,
      String kind,
      String name,
      boolean external,
      Set<String> shared,
      List<SpecProblem> problems) {
    String engineName =
        name != null ? name : external ? path.substring(path.indexOf('.') + 1) : null;
    if (engineName == null || shared.contains(engineName)) {
      return; // named <stack>_<key> by the platform: the stack's own
    }
    Optional<String> owner = ownerOfName(engineName, stack.name(), ownerOfStack);
    if (owner.isPresent() && !owner.get().equals(tenant.name())) {
      problems.add(
          SpecProblem.at(
              path,
              kind
                  + " "
                  + engineName
                  + " belongs to another tenant's stack; tenant "
                  + tenant.name()
                  + " may use only its own "
                  + kind
                  + "s and those shared with it"));
    } else if (external && owner.isEmpty()) {
      problems.add(
          SpecProblem.at(
              path,
              "external "
                  + kind
                  + " "
                  + engineName
                  + " is not tenant "
                  + tenant.name()
                  + "'s own (no stack of the tenant made it) nor shared with it"));
    }
  }

  /**
   * The tenant owning the stack an engine name's {@code <stack>_} prefix names, trying each
   * underscore from the last (stack names may contain underscores).
   */
  static Optional<String> ownerOfName(
      String engineName, String ownStack, Function<String, Optional<String>> ownerOfStack) {
    for (int i = engineName.lastIndexOf('_'); i > 0; i = engineName.lastIndexOf('_', i - 1)) {
      String stack = engineName.substring(0, i);
      Optional<String> owner = ownerOfStack.apply(stack);
      if (owner.isPresent()) {
        return owner;
      }
    }
    return Optional.empty();
  }
}
