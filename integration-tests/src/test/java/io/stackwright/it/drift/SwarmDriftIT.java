package io.stackwright.it.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.core.drift.DriftWatch;
import io.stackwright.it.Shell;
import io.stackwright.testing.SecretGuard;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Drift on Swarm, against the real engine: each kind of out-of-band change is detected through the
 * engine's events with the field path the plan prints, and in repair mode restored by a reconcile
 * job. Stacks are prefixed {@code swd}.
 */
class SwarmDriftIT extends DriftITSupport {
  private static final String TOKEN = SecretGuard.secret("drift-token");

  @Override
  String platform() {
    return "swarm";
  }

  private static StackSpec stack(String name) {
    return StackSpec.builder(name)
        .service(
            ServiceSpec.builder("web", IMAGE)
                .env("LEVEL", "info")
                .deployLabel("team", "shop")
                .endpointMode(ServiceSpec.EndpointMode.DNSRR))
        .build();
  }

  private static String inspect(String service, String format) {
    return docker("service", "inspect", "-f", format, service).out().trim();
  }

  @Test
  void envAddedOutOfBandIsDetectedByEventsAndRepaired() {
    StackSpec spec = stack("swd-env");
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      long changed = System.nanoTime();
      docker("service", "update", "--detach", "--env-add", "LEVEL=debug", "swd-env_web");
      long detected = awaitEvent(EventType.DRIFT_DETECTED);
      OrchestratorEvent drift = ofType(EventType.DRIFT_DETECTED).get(0);
      assertThat(drift.subject()).isEqualTo("web");
      assertThat(drift.attributes())
          .containsEntry("field", "TaskTemplate.ContainerSpec.Env")
          .containsEntry("live", "(redacted)");
      assertThat(drift.toString()).doesNotContain("debug");

      awaitRepaired(spec);
      long repaired = System.nanoTime();
      assertThat(inspect("swd-env_web", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"))
          .contains("LEVEL=info")
          .doesNotContain("LEVEL=debug");
      report("swarm env change -> DRIFT_DETECTED", changed, detected);
      report("swarm DRIFT_DETECTED -> repaired (plan empty)", detected, repaired);
    }
  }

  /**
   * One out-of-band change of a service: the CLI's arguments, the field path the plan prints for it
   * (verified with {@code stackwright diff}), a part of the live value the report shows, and the
   * inspect format whose output must be as deployed again after the repair.
   */
  private record FieldDrift(String field, String live, String inspect, String... update) {}

  @Test
  void eachFieldOfAServiceChangedOutOfBandIsReportedByItsPathAndRestored() {
    String service = "swd-fields_web";
    String otherTag = "stackwright/workload:swd-fields"; // the test image under a second name
    String network = "swd-fields-extra";
    docker("tag", IMAGE, otherTag);
    afterStacks.add(() -> Shell.docker("rmi", otherTag));
    docker("network", "create", "--driver", "overlay", "--attachable", network);
    // the engine lets a network go once the removed stack's tasks have left it
    afterStacks.add(
        () ->
            Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> Shell.docker("network", "rm", network).exitCode() == 0));
    StackSpec spec = stack("swd-fields");
    deploy(spec);
    List<FieldDrift> drifts =
        List.of(
            new FieldDrift(
                "TaskTemplate.ContainerSpec.Image",
                otherTag,
                "{{json .Spec.TaskTemplate.ContainerSpec.Image}}",
                "--image",
                otherTag),
            new FieldDrift(
                "TaskTemplate.Resources.Limits.MemoryBytes",
                "67108864",
                "{{json .Spec.TaskTemplate.Resources}}",
                "--limit-memory",
                "64M"),
            new FieldDrift(
                "TaskTemplate.ContainerSpec.Mounts",
                "/scratch",
                "{{json .Spec.TaskTemplate.ContainerSpec.Mounts}}",
                "--mount-add",
                "type=tmpfs,target=/scratch"),
            new FieldDrift(
                "TaskTemplate.Networks",
                network,
                "{{json .Spec.TaskTemplate.Networks}}",
                "--network-add",
                network),
            new FieldDrift(
                "UpdateConfig.Parallelism",
                "3",
                "{{json .Spec.UpdateConfig}}",
                "--update-parallelism",
                "3"));
    long start = System.nanoTime();
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      for (FieldDrift drift : drifts) {
        String deployed = inspect(service, drift.inspect());
        events.clear();
        long changed = updateOutOfBand(service, drift.update());
        Seen detected = awaitDrift(drift.field(), Duration.ofSeconds(30));
        assertThat(detected.event().subject()).isEqualTo("web");
        assertThat(detected.event().attributes().get("live")).contains(drift.live());
        assertThat(ofType(EventType.DRIFT_DETECTED))
            .as("the reports of %s", String.join(" ", drift.update()))
            .extracting(e -> e.attributes().get("field"))
            .containsOnly(drift.field());

        awaitRepaired(spec);
        long repaired = System.nanoTime();
        assertThat(inspect(service, drift.inspect())).isEqualTo(deployed);
        report("swarm " + drift.update()[0] + " -> DRIFT_DETECTED", changed, detected.nanos());
        report(
            "swarm " + drift.update()[0] + ": DRIFT_DETECTED -> repaired (plan empty)",
            detected.nanos(),
            repaired);
      }
    }
    report(
        "swarm five field changes, each detected and repaired in turn", start, System.nanoTime());
  }

  /**
   * {@code docker service update --detach ARGS SERVICE}, tried again while the engine answers
   * "update out of sequence" (the rolling update of the last repair moved the service's version
   * between the CLI's read and its write); returns when the accepted attempt began.
   */
  private static long updateOutOfBand(String service, String... args) {
    List<String> command = new ArrayList<>(List.of("service", "update", "--detach"));
    command.addAll(List.of(args));
    command.add(service);
    long[] began = new long[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              began[0] = System.nanoTime();
              Shell.Result r = Shell.docker(command.toArray(String[]::new));
              assertThat(r.exitCode() == 0 || r.all().contains("out of sequence"))
                  .as(String.join(" ", command) + ": " + r.all())
                  .isTrue();
              return r.exitCode() == 0;
            });
    return began[0];
  }

  @Test
  void scaledOutOfBandIsRestoredAndLabelsEditedAreReported() {
    StackSpec spec = stack("swd-scale");
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      docker("service", "scale", "--detach", "swd-scale_web=3");
      awaitEvent(EventType.DRIFT_DETECTED);
      assertThat(ofType(EventType.DRIFT_DETECTED).get(0).attributes())
          .containsEntry("field", "Mode.Replicated.Replicas")
          .containsEntry("live", "3")
          .containsEntry("desired", "1");
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> inspect("swd-scale_web", "{{.Spec.Mode.Replicated.Replicas}}").equals("1"));

      events.clear();
      long edited = System.nanoTime();
      docker("service", "update", "--detach", "--label-add", "team=ops", "swd-scale_web");
      // a label of the service starts no task: the service's own update event asks for the
      // comparison (the periodic one is 10 minutes away here)
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ofType(EventType.DRIFT_DETECTED).stream()
                      .anyMatch(e -> e.attributes().get("field").startsWith("Labels")));
      report("swarm service label edited -> DRIFT_DETECTED", edited, System.nanoTime());
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> inspect("swd-scale_web", "{{index .Spec.Labels \"team\"}}").equals("shop"));
    }
  }

  @Test
  void warnWritesNothing() {
    StackSpec spec = stack("swd-warn");
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.WARN))) {
      docker("service", "update", "--detach", "--env-add", "LEVEL=debug", "swd-warn_web");
      // read at once: the engine moves UpdatedAt again when the rolling update completes
      Instant updatedAt =
          Instant.parse(inspect("swd-warn_web", "{{json .UpdatedAt}}").replace("\"", ""));
      awaitEvent(EventType.DRIFT_DETECTED);
      Instant changedAt =
          Instant.parse(ofType(EventType.DRIFT_DETECTED).get(0).attributes().get("changedAt"));
      assertThat(changedAt).isCloseTo(updatedAt, within(1, ChronoUnit.SECONDS));
      System.out.printf(
          "DRIFT-FIGURE swarm changedAt - UpdatedAt: %d ms%n",
          Duration.between(updatedAt, changedAt).toMillis());
      assertThat(watch.current()).allMatch(r -> r.changedBy() == null); // Docker names no actor
      String version = inspect("swd-warn_web", "{{.Version.Index}}");
      watch.compareNow();
      watch.compareNow();

      assertThat(inspect("swd-warn_web", "{{.Version.Index}}")).isEqualTo(version);
      assertThat(inspect("swd-warn_web", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"))
          .contains("LEVEL=debug");
      assertThat(ofType(EventType.DRIFT_DETECTED)).hasSize(1); // each difference once
      assertThat(ofType(EventType.DRIFT_REPAIRED)).isEmpty();
    }
  }

  @Test
  void anAutoscaledServicesReplicasAreNeverReverted() {
    StackSpec spec =
        StackSpec.builder("swd-auto")
            .service(
                ServiceSpec.builder("web", IMAGE)
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .scaling(
                        ScalingPolicy.builder(1, 4)
                            .target(new CustomMetric("queue", "depth"), 10)
                            .build()))
            .build();
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      docker("service", "scale", "--detach", "swd-auto_web=2");
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () ->
                  Shell.docker(
                              "service",
                              "ps",
                              "-q",
                              "--filter",
                              "desired-state=running",
                              "swd-auto_web")
                          .out()
                          .lines()
                          .count()
                      == 2);
      assertThat(watch.compareNow()).isEmpty();
      assertThat(ofType(EventType.DRIFT_DETECTED)).isEmpty();
      assertThat(inspect("swd-auto_web", "{{.Spec.Mode.Replicated.Replicas}}")).isEqualTo("2");
    }
  }

  @Test
  void aServiceRemovedOutOfBandIsReportedMissingAndRecreated() {
    StackSpec spec = stack("swd-rm");
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      long removed = System.nanoTime();
      docker("service", "rm", "swd-rm_web");
      long detected = awaitEvent(EventType.DRIFT_DETECTED);
      OrchestratorEvent drift = ofType(EventType.DRIFT_DETECTED).get(0);
      assertThat(drift.subject()).isEqualTo("web");
      assertThat(drift.attributes()).containsEntry("field", "(missing)");
      awaitRepaired(spec);
      assertThat(inspect("swd-rm_web", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"))
          .contains("LEVEL=info");
      report("swarm service rm -> DRIFT_DETECTED", removed, detected);
      report("swarm service rm: DRIFT_DETECTED -> recreated", detected, System.nanoTime());
    }
  }

  @Test
  void aSecretDeletedOutOfBandIsReportedMissingAndRecreated() {
    // a secret no service uses yet: one in use the engine refuses to delete
    StackSpec spec =
        stack("swd-sec").toBuilder()
            .secret(
                io.stackwright.api.SecretSpec.of(
                    "token", io.stackwright.api.FileContent.secret(TOKEN)))
            .build();
    deploy(spec);
    assertThat(Shell.docker("secret", "inspect", "swd-sec_token").exitCode()).isZero();
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      long deleted = System.nanoTime();
      docker("secret", "rm", "swd-sec_token");
      long detected = awaitEvent(EventType.DRIFT_DETECTED);
      OrchestratorEvent drift = ofType(EventType.DRIFT_DETECTED).get(0);
      assertThat(drift.subject()).isEqualTo("token");
      assertThat(drift.attributes()).containsEntry("field", "(missing)");
      assertThat(drift.toString()).doesNotContain(TOKEN);
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> Shell.docker("secret", "inspect", "swd-sec_token").exitCode() == 0);
      Awaitility.await().atMost(WAIT).until(() -> orchestrator().plan(spec).isEmpty());
      report("swarm secret rm -> DRIFT_DETECTED", deleted, detected);
      report("swarm secret rm: DRIFT_DETECTED -> recreated", detected, System.nanoTime());
    }
  }

  @Test
  void aRepairThatCannotSucceedBacksOffAndAlertsOnce() {
    String image = "swd-drift/gone:test";
    docker("tag", IMAGE, image);
    StackSpec spec =
        StackSpec.builder("swd-gone")
            .service(
                ServiceSpec.builder("web", image)
                    .env("LEVEL", "info")
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR))
            .build();
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      docker("rmi", image);
      long changed = System.nanoTime();
      // the engine accepts the spec, but its tasks are rejected (no such image) and it pauses the
      // rolling update: after each repair the paused update comes back
      docker("service", "update", "--detach", "--env-add", "LEVEL=debug", "swd-gone_web");
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> !ofType(EventType.DRIFT_REPAIR_STOPPED).isEmpty());
      long stopped = System.nanoTime();
      assertThat(ofType(EventType.DRIFT_DETECTED))
          .extracting(e -> e.attributes().get("field"))
          .contains("UpdateStatus.State");
      watch.compareNow();
      watch.compareNow();
      assertThat(alerts).hasSize(1);
      assertThat(alerts.get(0).kind()).isEqualTo("drift_repair_stopped");
      assertThat(ofType(EventType.DRIFT_REPAIR_STOPPED)).hasSize(1);
      assertThat(watch.repairsStopped()).isTrue();
      report("swarm image gone: service update -> DRIFT_REPAIR_STOPPED", changed, stopped);
    } finally {
      Shell.docker("rmi", image);
    }
  }

  @Test
  void anExtraServiceWithTheStacksLabelIsReportedAndRemoved() {
    StackSpec spec = stack("swd-extra");
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      docker(
          "service",
          "create",
          "--detach",
          "--name",
          "swd-extra_intruder",
          "--label",
          "com.docker.stack.namespace=swd-extra",
          "--container-label",
          "com.docker.stack.namespace=swd-extra",
          "--endpoint-mode",
          "dnsrr",
          IMAGE);
      awaitEvent(EventType.DRIFT_DETECTED);
      assertThat(ofType(EventType.DRIFT_DETECTED).get(0).attributes())
          .containsEntry("field", "(extra)");
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> Shell.docker("service", "inspect", "swd-extra_intruder").exitCode() != 0);
    }
  }
}
