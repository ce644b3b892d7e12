package io.stackwright.compose.internal;

import io.stackwright.api.FileReference;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one engine cannot do with an otherwise valid stack. Problems are returned; what is merely
 * meaningless on one engine (placement constraints other than the manager role or this engine's
 * host name, spread preferences, endpoint mode, update and rollback policies, which core applies
 * itself, generic resources, which only Swarm schedules) is logged at WARN and ignored.
 */
public final class Validation {
  private static final Logger LOG = LoggerFactory.getLogger(Validation.class);
  private static final Pattern HONOURED =
      Pattern.compile("node\\.(role\\s*==\\s*manager|hostname\\s*==\\s*\\S+)");

  private Validation() {}

  /**
   * @param remoteWithoutSharedFiles the engine is remote and the state directory is not shared, so
   *     secret and config files cannot be bind-mounted
   */
  public static List<SpecProblem> problems(
      StackSpec stack, boolean remoteWithoutSharedFiles, String engineHost) {
    List<SpecProblem> problems = new ArrayList<>();
    stack
        .secrets()
        .forEach(
            (key, s) -> {
              if (s.external() && used(stack, key, true)) {
                problems.add(
                    SpecProblem.at(
                        "secrets." + key,
                        "external secret '"
                            + (s.name() == null ? key : s.name())
                            + "' cannot be used on a single engine: it has no secret store. Give the"
                            + " secret a file or environment content instead"));
              }
            });
    stack
        .configs()
        .forEach(
            (key, c) -> {
              if (c.external() && used(stack, key, false)) {
                problems.add(
                    SpecProblem.at(
                        "configs." + key,
                        "external config '"
                            + (c.name() == null ? key : c.name())
                            + "' cannot be used on a single engine: it has no config store. Give the"
                            + " config a file or content instead"));
              }
            });
    Map<String, String> hostPorts = new HashMap<>();
    stack
        .services()
        .forEach(
            (key, service) -> {
              String at = "services." + key;
              int replicas = ServiceActions.desiredReplicas(service);
              if (remoteWithoutSharedFiles
                  && (!service.secrets().isEmpty() || !service.configs().isEmpty())) {
                problems.add(
                    SpecProblem.at(
                        at + ".secrets",
                        "the Docker engine at "
                            + engineHost
                            + " is remote, and secrets and configs are files bind-mounted from this"
                            + " host's state directory; share that directory with the engine host at"
                            + " the same path and set "
                            + Settings.SHARED_STATE_DIR
                            + "=true"));
              }
              for (int i = 0; i < service.ports().size(); i++) {
                PortSpec p = service.ports().get(i);
                if (p.published() == null || p.published() == 0) {
                  continue;
                }
                if (replicas > 1) {
                  problems.add(
                      SpecProblem.at(
                          at + ".ports[" + i + "]",
                          "host port "
                              + p.published()
                              + " can be published by one container only, but the service has "
                              + replicas
                              + " replicas; leave the published port out to let the engine pick one"
                              + " per container"));
                }
                String binding =
                    (p.hostIp() == null ? "0.0.0.0" : p.hostIp())
                        + ":"
                        + p.published()
                        + "/"
                        + p.protocol().toLowerCase(Locale.ROOT);
                String other = hostPorts.putIfAbsent(binding, key);
                if (other != null && !other.equals(key)) {
                  problems.add(
                      SpecProblem.at(
                          at + ".ports[" + i + "]",
                          "host port " + binding + " is also published by service " + other));
                }
              }
              for (int i = 0; i < service.networks().size(); i++) {
                ServiceNetwork n = service.networks().get(i);
                NetworkSpec spec = stack.networks().get(n.network());
                if (n.ipv4Address() != null
                    && (spec == null || (!spec.external() && spec.subnets().isEmpty()))) {
                  problems.add(
                      SpecProblem.at(
                          at + ".networks." + n.network() + ".ipv4_address",
                          "a fixed address needs a network with a configured subnet; network '"
                              + n.network()
                              + "' has none"));
                }
              }
              if (service.healthcheck() != null
                  && service.healthcheck().startInterval() != null
                  && service.healthcheck().startPeriod() == null) {
                problems.add(
                    SpecProblem.at(
                        at + ".healthcheck.start_interval",
                        "healthcheck.start_interval requires healthcheck.start_period to be set"));
              }
              warnIgnored(stack.name(), key, service);
            });
    return problems;
  }

  private static boolean used(StackSpec stack, String key, boolean secret) {
    for (ServiceSpec s : stack.services().values()) {
      for (FileReference ref : secret ? s.secrets() : s.configs()) {
        if (ref.source().equals(key)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void warnIgnored(String stack, String key, ServiceSpec service) {
    for (String constraint : service.placement().constraints()) {
      if (!HONOURED.matcher(constraint.trim()).matches()) {
        LOG.warn(
            "Stack {}, service {}: placement constraint '{}' is ignored on a single engine",
            stack,
            key,
            constraint);
      }
    }
    if (!service.placement().spreadPreferences().isEmpty()
        || service.placement().maxReplicasPerNode() != null) {
      LOG.warn(
          "Stack {}, service {}: placement preferences and max_replicas_per_node are ignored on a"
              + " single engine",
          stack,
          key);
    }
    if (!service.resources().genericResources().isEmpty()) {
      LOG.warn(
          "Stack {}, service {}: deploy.resources.reservations.generic_resources is ignored on a"
              + " single engine",
          stack,
          key);
    }
  }
}
