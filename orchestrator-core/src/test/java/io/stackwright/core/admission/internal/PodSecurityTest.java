package io.stackwright.core.admission.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeviceRequest;
import io.stackwright.api.MountSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.Resources;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.tenancy.PolicyLevel;
import io.stackwright.api.tenancy.Tenant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden cases: every rule, once refused and once allowed, at the level that has it. */
class PodSecurityTest {

  /** A service that passes the restricted level. */
  static ServiceSpec.Builder hardened() {
    return ServiceSpec.builder("web", "stackwright/workload:test")
        .user("1000:1000")
        .securityOpt("no-new-privileges:true")
        .capDrop("ALL")
        .readOnly(true)
        .resources(new Resources(ResourceLimits.of(0.5, 64L << 20), ResourceLimits.NONE));
  }

  static List<SpecProblem> check(ServiceSpec.Builder service, PolicyLevel level) {
    return check(StackSpec.builder("shop").service(service).build(), level);
  }

  static List<SpecProblem> check(StackSpec stack, PolicyLevel level) {
    return PodSecurity.check(stack, level, Tenant.DEFAULT_ALLOWED_CAPABILITIES);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // rule, level, refused variant, allowed variant, the path the problem is at
        Arguments.of(
            "baseline/capabilities",
            PolicyLevel.BASELINE,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.capAdd("SYS_ADMIN"),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.capAdd("CAP_CHOWN"),
            "services.web.cap_add[0]"),
        Arguments.of(
            "baseline/capabilities",
            PolicyLevel.BASELINE,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.capAdd("ALL"),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.capAdd("net_raw"),
            "services.web.cap_add[0]"),
        Arguments.of(
            "baseline/host-paths",
            PolicyLevel.BASELINE,
            (UnaryOperator<ServiceSpec.Builder>)
                b -> b.mount(MountSpec.bind("/var/run/docker.sock", "/var/run/docker.sock", true)),
            (UnaryOperator<ServiceSpec.Builder>)
                b -> b.mount(MountSpec.bind("/srv/shop/data", "/data", false)),
            "services.web.volumes[0]"),
        Arguments.of(
            "baseline/host-paths",
            PolicyLevel.BASELINE,
            (UnaryOperator<ServiceSpec.Builder>)
                b -> b.mount(MountSpec.bind("/srv/../etc/", "/host-etc", true)),
            (UnaryOperator<ServiceSpec.Builder>)
                b -> b.mount(MountSpec.bind("/srv/etc", "/host-etc", true)),
            "services.web.volumes[0]"),
        Arguments.of(
            "baseline/host-paths",
            PolicyLevel.BASELINE,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.mount(MountSpec.bind("/", "/host", true)),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.mount(MountSpec.tmpfs("/host")),
            "services.web.volumes[0]"),
        Arguments.of(
            "baseline/devices",
            PolicyLevel.BASELINE,
            (UnaryOperator<ServiceSpec.Builder>)
                b ->
                    b.resources(
                        new Resources(
                            ResourceLimits.of(0.5, 64L << 20),
                            ResourceLimits.NONE,
                            List.of(),
                            List.of(
                                new DeviceRequest(List.of("gpu"), "nvidia", 1, null, Map.of())))),
            (UnaryOperator<ServiceSpec.Builder>) b -> b,
            "services.web.deploy.resources.reservations.devices"),
        Arguments.of(
            "baseline/security-options",
            PolicyLevel.BASELINE,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.securityOpt("systempaths=unconfined"),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.securityOpt("label=type:svirt_apache_t"),
            "services.web.security_opt[1]"),
        Arguments.of(
            "baseline/sysctls",
            PolicyLevel.BASELINE,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.sysctl("kernel.msgmax", "65536"),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.sysctl("net.ipv4.tcp_syncookies", "1"),
            "services.web.sysctls.kernel.msgmax"),
        Arguments.of(
            "restricted/capabilities",
            PolicyLevel.RESTRICTED,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.capAdd("CHOWN"),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.capAdd("NET_BIND_SERVICE"),
            "services.web.cap_add[0]"),
        Arguments.of(
            "restricted/confinement",
            PolicyLevel.RESTRICTED,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.securityOpt("seccomp=unconfined"),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.securityOpt("seccomp=/etc/profile.json"),
            "services.web.security_opt[1]"),
        Arguments.of(
            "restricted/confinement",
            PolicyLevel.RESTRICTED,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.securityOpt("apparmor:unconfined"),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.securityOpt("apparmor=docker-default"),
            "services.web.security_opt[1]"),
        Arguments.of(
            "restricted/non-root",
            PolicyLevel.RESTRICTED,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.user("0:0"),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.user("app"),
            "services.web.user"),
        Arguments.of(
            "restricted/non-root",
            PolicyLevel.RESTRICTED,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.user("root"),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.user("65534"),
            "services.web.user"),
        Arguments.of(
            "restricted/non-root",
            PolicyLevel.RESTRICTED,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.user(null),
            (UnaryOperator<ServiceSpec.Builder>) b -> b.user("1000"),
            "services.web.user"),
        Arguments.of(
            "restricted/read-only-root",
            PolicyLevel.RESTRICTED,
            (UnaryOperator<ServiceSpec.Builder>) b -> b.readOnly(false),
            (UnaryOperator<ServiceSpec.Builder>)
                b ->
                    b.readOnly(false)
                        .label(PodSecurity.WRITABLE_ROOT_EXCEPTION, "writes its cache to /var"),
            "services.web.read_only"),
        Arguments.of(
            "restricted/resource-limits",
            PolicyLevel.RESTRICTED,
            (UnaryOperator<ServiceSpec.Builder>)
                b -> b.resources(new Resources(ResourceLimits.of(0.5, 0), ResourceLimits.NONE)),
            (UnaryOperator<ServiceSpec.Builder>)
                b ->
                    b.resources(new Resources(ResourceLimits.of(2, 1L << 30), ResourceLimits.NONE)),
            "services.web.deploy.resources.limits"));
  }

  @ParameterizedTest(name = "{0}: refused at {4}, allowed otherwise")
  @MethodSource("cases")
  void rule(
      String rule,
      PolicyLevel level,
      UnaryOperator<ServiceSpec.Builder> refused,
      UnaryOperator<ServiceSpec.Builder> allowed,
      String path) {
    List<SpecProblem> problems = check(refused.apply(hardened()), level);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).path()).isEqualTo(path);
    assertThat(problems.get(0).message()).contains("admission rule " + rule);
    assertThat(check(allowed.apply(hardened()), level)).isEmpty();
    // the level below does not have a restricted rule; privileged has none at all
    assertThat(check(refused.apply(hardened()), PolicyLevel.PRIVILEGED)).isEmpty();
    if (rule.startsWith("restricted/")) {
      assertThat(check(refused.apply(hardened()), PolicyLevel.BASELINE)).isEmpty();
    } else {
      assertThat(check(refused.apply(hardened()), PolicyLevel.RESTRICTED))
          .extracting(SpecProblem::message)
          .anyMatch(m -> m.contains(rule));
    }
  }

  @Test
  @DisplayName("baseline/host-namespaces: the host network refused, a network of the stack allowed")
  void hostNetwork() {
    StackSpec onHost =
        StackSpec.builder("shop")
            .network(NetworkSpec.external("hostnet", "host"))
            .service(hardened().network("hostnet"))
            .build();
    assertThat(check(onHost, PolicyLevel.BASELINE))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("services.web.networks.hostnet");
              assertThat(p.message()).contains("host's network", "baseline/host-namespaces");
            });
    assertThat(check(onHost, PolicyLevel.PRIVILEGED)).isEmpty();
    StackSpec own =
        StackSpec.builder("shop")
            .network(NetworkSpec.of("back"))
            .service(hardened().network("back"))
            .build();
    assertThat(check(own, PolicyLevel.RESTRICTED)).isEmpty();
  }

  @Test
  @DisplayName("every violation of every service is reported together, in service order")
  void allTogether() {
    StackSpec stack =
        StackSpec.builder("shop")
            .service(ServiceSpec.builder("a", "stackwright/workload:test").capAdd("SYS_ADMIN"))
            .service(ServiceSpec.builder("b", "stackwright/workload:test"))
            .build();
    List<SpecProblem> problems = check(stack, PolicyLevel.RESTRICTED);
    assertThat(problems)
        .extracting(SpecProblem::path)
        .containsExactly(
            "services.a.cap_add[0]",
            "services.a.user",
            "services.a.security_opt",
            "services.a.cap_drop",
            "services.a.cap_add[0]",
            "services.a.read_only",
            "services.a.deploy.resources.limits",
            "services.b.user",
            "services.b.security_opt",
            "services.b.cap_drop",
            "services.b.read_only",
            "services.b.deploy.resources.limits");
  }

  @Test
  @DisplayName("a path is judged after resolving '..' and repeated slashes")
  void normalizes() {
    assertThat(PodSecurity.normalize("//srv/./a/../../var/run/")).isEqualTo("/var/run");
    assertThat(PodSecurity.sensitive("/home/me/docker.sock")).isEqualTo("the Docker socket");
    assertThat(PodSecurity.sensitive("/srv/app")).isNull();
    assertThat(PodSecurity.sensitive("/etcetera")).isNull();
  }
}
