package io.stackwright.swarm;

import static io.stackwright.swarm.SwarmTestSupport.dockerOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.FileReference;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.testing.SecretGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stack deployed by {@code docker stack deploy} is adopted: the same stack plans empty. */
class CliCompatibilityIT {
  /** With a newline at the end, as a file written by an editor. */
  private static final String TOKEN = SecretGuard.secret("cli-compat-token") + "\n";

  private final SwarmTestSupport support = new SwarmTestSupport();
  private final SwarmPlatform platform = support.platform;

  @TempDir Path dir;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  static final String COMPOSE =
      """
      version: "3.8"
      services:
        web:
          image: stackwright/workload:test
          environment:
            GREETING: hello
          labels:
            app.role: front
          ports:
            - target: 8080
              mode: host
          networks:
            backend:
              aliases: [www]
          secrets: [token]
          configs:
            - source: conf
              target: /etc/app.conf
              mode: 0440
          healthcheck:
            test: ["CMD", "/server", "--probe"]
            interval: 1s
          stop_grace_period: 2s
          deploy:
            endpoint_mode: dnsrr
            replicas: 2
            labels:
              team: platform
            restart_policy:
              condition: on-failure
              max_attempts: 3
            update_config:
              parallelism: 2
              order: start-first
            resources:
              limits:
                memory: 64M
                cpus: '0.5'
        worker:
          image: stackwright/workload:test
          deploy:
            endpoint_mode: dnsrr
            mode: global
      networks:
        backend: {}
      secrets:
        token:
          file: ./token.txt
      configs:
        conf:
          file: ./conf.txt
      """;

  static StackSpec equivalent(String name) {
    return StackSpec.builder(name)
        .network(NetworkSpec.of("backend"))
        .secret(SecretSpec.of("token", FileContent.secret(TOKEN)))
        .config(ConfigSpec.of("conf", FileContent.plain("a=b\n")))
        .service(
            ServiceSpec.builder("web", SwarmTestSupport.IMAGE)
                .env("GREETING", "hello")
                .label("app.role", "front")
                .port(new PortSpec(8080, null, "tcp", PortSpec.PublishMode.HOST, null))
                .network("backend", "www")
                .secret("token")
                .config(new FileReference("conf", "/etc/app.conf", null, null, 0440))
                .healthcheck(
                    HealthcheckSpec.cmd("/server", "--probe")
                        .withTimings(Duration.ofSeconds(1), null, null, null))
                .stopGracePeriod(Duration.ofSeconds(2))
                .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                .replicas(2)
                .deployLabel("team", "platform")
                .restartPolicy(
                    new io.stackwright.api.RestartPolicy(
                        io.stackwright.api.RestartPolicy.Condition.ON_FAILURE, null, 3, null))
                .updatePolicy(
                    new io.stackwright.api.UpdatePolicy(
                        2, null, null, null, 0, io.stackwright.api.UpdatePolicy.Order.START_FIRST))
                .resources(
                    new io.stackwright.api.Resources(
                        io.stackwright.api.ResourceLimits.of(0.5, 64L << 20), null))
                .build())
        .service(
            ServiceSpec.builder("worker", SwarmTestSupport.IMAGE)
                .mode(ServiceSpec.Mode.GLOBAL)
                .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                .build())
        .build();
  }

  @Test
  void aStackDeployedByTheCliPlansEmptyAndCanBeUpdated() throws IOException {
    String name = support.stack("cli");
    Files.writeString(dir.resolve("stack.yml"), COMPOSE);
    Files.writeString(dir.resolve("token.txt"), TOKEN);
    Files.writeString(dir.resolve("conf.txt"), "a=b\n");
    dockerOk(
        "stack",
        "deploy",
        "--resolve-image",
        "never",
        "-c",
        dir.resolve("stack.yml").toString(),
        name);

    StackSpec stack = equivalent(name);
    Plan plan = platform.plan(stack);
    assertThat(plan.changes()).as(() -> describe(plan)).isEmpty();

    // and Stackwright can take over from there
    StackSpec changed =
        stack.toBuilder()
            .service(stack.service("web").toBuilder().env("GREETING", "bonjour").build())
            .build();
    Plan update = platform.plan(changed);
    assertThat(update.changes()).hasSize(1);
    assertThat(((Change.Update) update.changes().get(0)).fields())
        .extracting(FieldChange::path)
        .containsExactly("TaskTemplate.ContainerSpec.Env");
    platform.apply(changed, update, EventListener.none());
    assertThat(platform.plan(changed).changes())
        .as(() -> describe(platform.plan(changed)))
        .isEmpty();
  }

  static String describe(Plan plan) {
    StringBuilder text = new StringBuilder(plan.toString());
    for (Change c : plan.changes()) {
      if (c instanceof Change.Update u) {
        u.fields().forEach(f -> text.append("\n    ").append(f));
      }
    }
    return text.toString();
  }
}
