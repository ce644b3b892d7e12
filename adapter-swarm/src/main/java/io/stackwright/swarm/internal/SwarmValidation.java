package io.stackwright.swarm.internal;

import io.stackwright.api.FileReference;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a valid stack may still ask that Swarm cannot do. Where {@code docker stack deploy} drops
 * such a setting with a warning, Stackwright refuses it: a deployment that silently differs from
 * its declaration (a port meant for 127.0.0.1 published on every address) is worse than an error.
 */
public final class SwarmValidation {

  /** Engine API version that added {@code Healthcheck.StartInterval} (Docker 25). */
  static final String START_INTERVAL_API = "1.44";

  private static final java.util.regex.Pattern SWARM_NAME =
      java.util.regex.Pattern.compile("[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*");

  private SwarmValidation() {}

  /**
   * @param engineApiVersion the engine's API version, or {@code null} when unknown (then the checks
   *     that depend on it are skipped)
   */
  public static List<SpecProblem> problems(StackSpec stack, String engineApiVersion) {
    List<SpecProblem> problems = new ArrayList<>();
    for (ServiceSpec service : stack.services().values()) {
      String at = "services." + service.name();
      String scoped = StackNames.scope(stack.name(), service.name());
      if (!SWARM_NAME.matcher(scoped).matches() || scoped.length() > 63) {
        // swarmkit's rule (controlapi validateAnnotations): the engine refuses it after the
        // stack's networks were created
        problems.add(
            SpecProblem.at(
                at,
                "Swarm service name '"
                    + scoped
                    + "' must be at most 63 letters and digits, separated by '-' or '_' (a DNS"
                    + " name component; no '.')"));
      }
      if (!service.securityOpt().isEmpty()) {
        problems.add(
            SpecProblem.at(
                at + ".security_opt",
                "Swarm services do not support security_opt (docker stack deploy ignores it);"
                    + " remove it"));
      }
      for (ServiceNetwork n : service.networks()) {
        if (n.ipv4Address() != null) {
          problems.add(
              SpecProblem.at(
                  at + ".networks." + n.network() + ".ipv4_address",
                  "Swarm cannot give a service a fixed address; remove ipv4_address"));
        }
      }
      for (int i = 0; i < service.ports().size(); i++) {
        PortSpec port = service.ports().get(i);
        if (port.hostIp() != null && !port.hostIp().isEmpty() && !"0.0.0.0".equals(port.hostIp())) {
          problems.add(
              SpecProblem.at(
                  at + ".ports[" + i + "]",
                  "Swarm publishes ports on every address; host_ip "
                      + port.hostIp()
                      + " cannot be honoured"));
        }
        if (service.endpointMode() == ServiceSpec.EndpointMode.DNSRR
            && port.mode() == PortSpec.PublishMode.INGRESS) {
          problems.add(
              SpecProblem.at(
                  at + ".ports[" + i + "]",
                  "a port published in ingress mode needs endpoint_mode vip; with dnsrr publish"
                      + " it with mode: host"));
        }
      }
      if (!service.resources().devices().isEmpty()) {
        problems.add(
            SpecProblem.at(
                at + ".deploy.resources.reservations.devices",
                "Swarm services cannot reserve devices (docker stack deploy ignores them);"
                    + " use generic_resources, or deploy with docker compose"));
      }
      duplicateTargets(at + ".secrets", "secret", service.secrets(), problems);
      duplicateTargets(at + ".configs", "config", service.configs(), problems);
      if (service.healthcheck() != null
          && service.healthcheck().startInterval() != null
          && engineApiVersion != null
          && compareVersions(engineApiVersion, START_INTERVAL_API) < 0) {
        problems.add(
            SpecProblem.at(
                at + ".healthcheck.start_interval",
                "needs Docker Engine API "
                    + START_INTERVAL_API
                    + " (Docker 25); this engine speaks "
                    + engineApiVersion));
      }
    }
    return problems;
  }

  private static void duplicateTargets(
      String at, String kind, List<FileReference> refs, List<SpecProblem> problems) {
    Set<String> targets = new HashSet<>();
    for (FileReference ref : refs) {
      if (!targets.add(ref.targetOrSource())) {
        problems.add(
            SpecProblem.at(
                at, "duplicate " + kind + " target for " + ref.targetOrSource() + " not allowed"));
      }
    }
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int xi = i < x.length ? parse(x[i]) : 0;
      int yi = i < y.length ? parse(y[i]) : 0;
      if (xi != yi) {
        return Integer.compare(xi, yi);
      }
    }
    return 0;
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s.replaceAll("[^0-9].*$", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
