package io.stackwright.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.FileReference;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.LoggingSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.Placement;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.Resources;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.Ulimit;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.VolumeSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Plan;
import io.stackwright.testing.SecretGuard;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every field the converter writes survives a round trip through the engine: re-plan is empty. */
class RichSpecIT {
  private static final String TOKEN = SecretGuard.secret("rich-spec-token");

  private final SwarmTestSupport support = new SwarmTestSupport();

  @AfterEach
  void cleanUp() {
    support.close();
  }

  static StackSpec richStack(String name) {
    ServiceSpec full =
        ServiceSpec.builder("full", SwarmTestSupport.IMAGE)
            .entrypoint(List.of("/server"))
            .env("A", "1")
            .env("EMPTY", "")
            .label("app.tier", "front")
            .deployLabel("team", "platform")
            .port(new PortSpec(8080, null, "tcp", PortSpec.PublishMode.HOST, null))
            .port(new PortSpec(9090, null, "udp", PortSpec.PublishMode.HOST, null))
            .network("backend", "full-alias")
            .network("default")
            .mount(MountSpec.volume("data", "/data"))
            .mount(new MountSpec(MountSpec.Type.VOLUME, null, "/anon", false, false, null, null))
            .mount(
                new MountSpec(MountSpec.Type.TMPFS, null, "/scratch", false, false, null, 1L << 20))
            .mount(
                new MountSpec(
                    MountSpec.Type.BIND, "/tmp", "/host-tmp", true, false, "rprivate", null))
            .secret(new FileReference("token", "custom-token", "1000", "1000", 0400))
            .config(FileReference.of("conf"))
            .healthcheck(
                HealthcheckSpec.cmd("/server", "--probe")
                    .withTimings(
                        Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(3), 2))
            .resources(
                new Resources(
                    new ResourceLimits(500_000_000L, 64L << 20, 100),
                    new ResourceLimits(100_000_000L, 16L << 20, 0)))
            .placement(new Placement(List.of("node.role==manager"), List.of("node.id"), 2))
            .updatePolicy(
                new UpdatePolicy(
                    2,
                    Duration.ofSeconds(1),
                    UpdatePolicy.FailureAction.ROLLBACK,
                    Duration.ZERO,
                    0.1,
                    UpdatePolicy.Order.START_FIRST))
            .rollbackPolicy(UpdatePolicy.defaults())
            .restartPolicy(
                new RestartPolicy(
                    RestartPolicy.Condition.ON_FAILURE, null, 3, Duration.ofSeconds(10)))
            .user("0")
            .workingDir("/tmp")
            .hostname("full-host")
            .readOnly(true)
            .capAdd("net_admin")
            .capDrop("mknod")
            .stopSignal("SIGTERM")
            .stopGracePeriod(Duration.ofSeconds(3))
            .init(true)
            .ulimit("nofile", new Ulimit(1024, 2048))
            .sysctl("net.core.somaxconn", "1024")
            .logging(new LoggingSpec("json-file", Map.of("max-size", "1m")))
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .extraHost("somehost:10.0.0.1")
            .build();
    ServiceSpec vip = ServiceSpec.builder("vip", SwarmTestSupport.IMAGE).replicas(0).build();
    ServiceSpec global =
        ServiceSpec.builder("global", SwarmTestSupport.IMAGE)
            .mode(ServiceSpec.Mode.GLOBAL)
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .build();
    ServiceSpec job =
        ServiceSpec.builder("job", SwarmTestSupport.IMAGE)
            .entrypoint(List.of("/bin/true"))
            .mode(ServiceSpec.Mode.REPLICATED_JOB)
            .replicas(2)
            .restartPolicy(RestartPolicy.of(RestartPolicy.Condition.ON_FAILURE))
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .build();
    ServiceSpec globalJob =
        ServiceSpec.builder("globaljob", SwarmTestSupport.IMAGE)
            .entrypoint(List.of("/bin/true"))
            .mode(ServiceSpec.Mode.GLOBAL_JOB)
            .restartPolicy(RestartPolicy.of(RestartPolicy.Condition.NONE))
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .build();
    return StackSpec.builder(name)
        .network(
            new NetworkSpec(
                "backend", null, null, Map.of(), true, false, false, List.of(), Map.of("x", "y")))
        .volume(new VolumeSpec("data", null, "local", Map.of(), false, Map.of("keep", "yes")))
        .secret(SecretSpec.of("token", FileContent.secret(TOKEN)))
        .config(ConfigSpec.of("conf", FileContent.plain("key=value\n")))
        .service(full)
        .service(vip)
        .service(global)
        .service(job)
        .service(globalJob)
        .build();
  }

  @Test
  void everyConvertedFieldSurvivesTheEngineSoTheReplanIsEmpty() {
    String name = support.stack("rich");
    StackSpec stack = richStack(name);
    Plan plan = support.platform.plan(stack);
    assertThat(plan.changes()).hasSize(2 + 1 + 1 + 5);
    support.platform.apply(stack, plan, EventListener.none());

    Plan replan = support.platform.plan(stack);
    assertThat(replan.changes())
        .as(
            () ->
                replan.changes().stream()
                    .map(
                        c ->
                            c
                                + (c instanceof io.stackwright.api.plan.Change.Update u
                                    ? "\n      " + u.fields()
                                    : ""))
                    .toList()
                    .toString())
        .isEmpty();
  }

  @Test
  void genericResourcesSurviveTheEngineAndDevicesAreRefused() {
    String name = support.stack("generic");
    ServiceSpec gpu =
        ServiceSpec.builder("gpu", SwarmTestSupport.IMAGE)
            .resources(
                new Resources(
                    null,
                    ResourceLimits.of(0.1, 0),
                    List.of(
                        io.stackwright.api.GenericResource.discrete("SSD", 2),
                        io.stackwright.api.GenericResource.named("GPU", "UUID1")),
                    List.of()))
            .restartPolicy(RestartPolicy.of(RestartPolicy.Condition.UNLESS_STOPPED))
            .build();
    StackSpec stack = StackSpec.builder(name).service(gpu).build();
    assertThat(support.platform.validate(stack)).isEmpty();
    // no node advertises these resources: the task stays pending; only the spec is checked
    support.platform.apply(stack, support.platform.plan(stack), EventListener.none());
    assertThat(
            SwarmTestSupport.dockerOk(
                "service",
                "inspect",
                "--format",
                "{{json .Spec.TaskTemplate.Resources.Reservations.GenericResources}}",
                name + "_gpu"))
        .contains("{\"DiscreteResourceSpec\":{\"Kind\":\"SSD\",\"Value\":2}}")
        .contains("{\"NamedResourceSpec\":{\"Kind\":\"GPU\",\"Value\":\"UUID1\"}}");
    assertThat(support.platform.plan(stack).changes()).isEmpty();

    StackSpec withDevices =
        stack.toBuilder()
            .service(
                gpu.toBuilder()
                    .resources(
                        new Resources(
                            null,
                            null,
                            List.of(),
                            List.of(
                                new io.stackwright.api.DeviceRequest(
                                    List.of("gpu"), null, null, null, null))))
                    .build())
            .build();
    assertThat(support.platform.validate(withDevices))
        .extracting(io.stackwright.api.SpecProblem::path)
        .containsExactly("services.gpu.deploy.resources.reservations.devices");
  }
}
