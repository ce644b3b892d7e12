package io.stackwright.core.admission.internal;

import io.stackwright.api.MountSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.tenancy.PolicyLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Pod Security Standards translated to Docker: pure rules over a {@link StackSpec}, each
 * violation a {@link SpecProblem} at the key it is about, with the rule's id in its message. What
 * the model cannot express ({@code privileged}, {@code pid}, {@code ipc}, {@code network_mode}: the
 * loader warns and drops them) no Stackwright container ever gets, so those rules hold by
 * construction.
 */
public final class PodSecurity {
  private PodSecurity() {}

  /** Docker's default capabilities (moby oci/caps/defaults.go). */
  static final Set<String> DOCKER_DEFAULT_CAPABILITIES =
      Set.of(
          "CHOWN",
          "DAC_OVERRIDE",
          "FSETID",
          "FOWNER",
          "MKNOD",
          "NET_RAW",
          "SETGID",
          "SETUID",
          "SETFCAP",
          "SETPCAP",
          "NET_BIND_SERVICE",
          "SYS_CHROOT",
          "KILL",
          "AUDIT_WRITE");

  /** Host paths no baseline service may bind (and anything under them). */
  static final List<String> SENSITIVE_HOST_PATHS =
      List.of(
          "/etc",
          "/proc",
          "/sys",
          "/dev",
          "/boot",
          "/root",
          "/run",
          "/var/run",
          "/var/lib/docker",
          "/var/lib/containerd",
          "/usr",
          "/bin",
          "/sbin",
          "/lib",
          "/lib64");

  /** Pod Security's safe sysctls (namespaced, harmless to the host). */
  static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");

  /**
   * The label a service declares a writable root filesystem with under the restricted level; its
   * value says why.
   */
  public static final String WRITABLE_ROOT_EXCEPTION =
      "io.stackwright.admission.writable-root-filesystem";

  /** Every violation of {@code level} in {@code stack}, in service order. */
  public static List<SpecProblem> check(
      StackSpec stack, PolicyLevel level, Set<String> allowedCapabilities) {
    List<SpecProblem> problems = new ArrayList<>();
    if (level == PolicyLevel.PRIVILEGED) {
      return problems;
    }
    for (ServiceSpec service : stack.services().values()) {
      String at = "services." + service.name();
      baseline(stack, service, at, problems);
      if (level == PolicyLevel.RESTRICTED) {
        restricted(service, at, allowedCapabilities, problems);
      }
    }
    return problems;
  }

  private static void refuse(List<SpecProblem> problems, String path, String rule, String what) {
    problems.add(SpecProblem.at(path, what + " (admission rule " + rule + ")"));
  }

  static String capability(String name) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    return upper.startsWith("CAP_") ? upper.substring(4) : upper;
  }

  private static void baseline(
      StackSpec stack, ServiceSpec service, String at, List<SpecProblem> problems) {
    for (int i = 0; i < service.networks().size(); i++) {
      ServiceNetwork attached = service.networks().get(i);
      NetworkSpec network = stack.networks().get(attached.network());
      if (network != null && isHostNetwork(network)) {
        refuse(
            problems,
            at + ".networks." + attached.network(),
            "baseline/host-namespaces",
            "attaches to the host's network");
      }
    }
    for (int i = 0; i < service.capAdd().size(); i++) {
      String cap = capability(service.capAdd().get(i));
      if (!DOCKER_DEFAULT_CAPABILITIES.contains(cap)) {
        refuse(
            problems,
            at + ".cap_add[" + i + "]",
            "baseline/capabilities",
            "adds capability "
                + cap
                + ", beyond Docker's defaults; allowed: "
                + new java.util.TreeSet<>(DOCKER_DEFAULT_CAPABILITIES));
      }
    }
    for (int i = 0; i < service.mounts().size(); i++) {
      MountSpec mount = service.mounts().get(i);
      if (mount.type() != MountSpec.Type.BIND) {
        continue;
      }
      String reason = sensitive(mount.source());
      if (reason != null) {
        refuse(
            problems,
            at + ".volumes[" + i + "]",
            "baseline/host-paths",
            "binds " + reason + " (" + mount.source() + ")");
      }
    }
    if (!service.resources().devices().isEmpty()) {
      refuse(
          problems,
          at + ".deploy.resources.reservations.devices",
          "baseline/devices",
          "reserves host devices");
    }
    for (int i = 0; i < service.securityOpt().size(); i++) {
      String option = service.securityOpt().get(i).replace(':', '=').toLowerCase(Locale.ROOT);
      if (option.equals("systempaths=unconfined") || option.equals("label=disable")) {
        refuse(
            problems,
            at + ".security_opt[" + i + "]",
            "baseline/security-options",
            "sets " + service.securityOpt().get(i) + ", which lifts a host protection");
      }
    }
    for (Map.Entry<String, String> sysctl : service.sysctls().entrySet()) {
      if (!SAFE_SYSCTLS.contains(sysctl.getKey())) {
        refuse(
            problems,
            at + ".sysctls." + sysctl.getKey(),
            "baseline/sysctls",
            "sets sysctl "
                + sysctl.getKey()
                + ", not one of the safe ones "
                + sorted(SAFE_SYSCTLS));
      }
    }
  }

  private static void restricted(
      ServiceSpec service, String at, Set<String> allowed, List<SpecProblem> problems) {
    if (!runsAsNonRoot(service.user())) {
      refuse(
          problems,
          at + ".user",
          "restricted/non-root",
          service.user() == null
              ? "sets no user, so it runs as the image's (root unless the image says otherwise);"
                  + " set a non-root user such as 1000:1000"
              : "runs as root (" + service.user() + "); set a non-root user such as 1000:1000");
    }
    boolean noNewPrivileges =
        service.securityOpt().stream()
            .map(o -> o.replace(':', '=').toLowerCase(Locale.ROOT))
            .anyMatch(o -> o.equals("no-new-privileges") || o.equals("no-new-privileges=true"));
    if (!noNewPrivileges) {
      refuse(
          problems,
          at + ".security_opt",
          "restricted/no-new-privileges",
          "does not set no-new-privileges:true");
    }
    boolean dropsAll =
        service.capDrop().stream().map(PodSecurity::capability).anyMatch("ALL"::equals);
    if (!dropsAll) {
      refuse(
          problems, at + ".cap_drop", "restricted/capabilities", "does not drop ALL capabilities");
    }
    for (int i = 0; i < service.capAdd().size(); i++) {
      String cap = capability(service.capAdd().get(i));
      if (!allowed.contains(cap)) {
        refuse(
            problems,
            at + ".cap_add[" + i + "]",
            "restricted/capabilities",
            "adds capability " + cap + "; allowed after dropping ALL: " + sorted(allowed));
      }
    }
    String exception = service.labels().get(WRITABLE_ROOT_EXCEPTION);
    if (!service.readOnly() && (exception == null || exception.isBlank())) {
      refuse(
          problems,
          at + ".read_only",
          "restricted/read-only-root",
          "has a writable root filesystem; set read_only: true, or the label "
              + WRITABLE_ROOT_EXCEPTION
              + " saying why it needs one");
    }
    if (service.resources().limits().nanoCpus() == 0
        || service.resources().limits().memoryBytes() == 0) {
      refuse(
          problems,
          at + ".deploy.resources.limits",
          "restricted/resource-limits",
          "sets no "
              + (service.resources().limits().nanoCpus() == 0 ? "CPU" : "")
              + (service.resources().limits().nanoCpus() == 0
                      && service.resources().limits().memoryBytes() == 0
                  ? " and no "
                  : "")
              + (service.resources().limits().memoryBytes() == 0 ? "memory" : "")
              + " limit (and the tenant has no default)");
    }
    for (int i = 0; i < service.securityOpt().size(); i++) {
      String option = service.securityOpt().get(i).replace(':', '=').toLowerCase(Locale.ROOT);
      if (option.equals("seccomp=unconfined") || option.equals("apparmor=unconfined")) {
        refuse(
            problems,
            at + ".security_opt[" + i + "]",
            "restricted/confinement",
            "runs " + option.substring(0, option.indexOf('=')) + " unconfined");
      }
    }
  }

  static boolean isHostNetwork(NetworkSpec network) {
    String name = network.name() != null ? network.name() : network.key();
    return "host".equals(network.driver()) || (network.external() && "host".equals(name));
  }

  static boolean runsAsNonRoot(String user) {
    if (user == null || user.isBlank()) {
      return false;
    }
    String who = user.split(":", 2)[0].trim();
    return !who.equals("root") && !who.equals("0") && !who.isEmpty();
  }

  /** Why binding {@code hostPath} is refused, or {@code null}. */
  static String sensitive(String hostPath) {
    String path = normalize(hostPath);
    if (path.endsWith(".sock")) {
      return path.endsWith("docker.sock") ? "the Docker socket" : "a host socket";
    }
    if (path.equals("/")) {
      return "the host's root filesystem";
    }
    for (String sensitive : SENSITIVE_HOST_PATHS) {
      if (path.equals(sensitive) || path.startsWith(sensitive + "/")) {
        return "the sensitive host path " + sensitive;
      }
    }
    return null;
  }

  /** The path with {@code .}, {@code ..}, repeated and trailing slashes resolved. */
  static String normalize(String hostPath) {
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (String part : hostPath.replace('\\', '/').split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  private static String sorted(Set<String> values) {
    return new java.util.TreeSet<>(values).toString();
  }
}
