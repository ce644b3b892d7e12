package io.stackwright.it.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.NetworkSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.core.drift.DriftWatch;
import io.stackwright.it.Shell;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Drift on one engine, against the real engine: a container removed, a container of another
 * configuration, an extra container with the project's labels, a network removed (named by the
 * project, and of a name of its own), an autoscaled service's count, and a repair that cannot
 * succeed. Each change but the swapped container is seen through the engine's events: the periodic
 * comparison is 10 minutes away. Projects are prefixed {@code swd}.
 */
class ComposeDriftIT extends DriftITSupport {

  @Override
  String platform() {
    return "compose";
  }

  private static StackSpec stack(String name, String image, int replicas) {
    return StackSpec.builder(name)
        .service(ServiceSpec.builder("web", image).env("LEVEL", "info").replicas(replicas))
        .build();
  }

  private static List<String> containerIds(String project) {
    return Shell.docker(
            "ps", "-aq", "--no-trunc", "--filter", "label=com.docker.compose.project=" + project)
        .out()
        .lines()
        .filter(l -> !l.isBlank())
        .sorted()
        .toList();
  }

  @Test
  void aRemovedContainerIsDetectedByEventsAndRepaired() {
    StackSpec spec = stack("swd-rm", IMAGE, 2);
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      Instant before = Instant.now();
      long changed = System.nanoTime();
      docker("rm", "-f", "swd-rm-web-2");
      long detected = awaitEvent(EventType.DRIFT_DETECTED);
      assertThat(ofType(EventType.DRIFT_DETECTED))
          .extracting(e -> e.attributes().get("field"))
          .contains("replicas");
      // the container list cannot date a removal: the destroy event that showed it does
      assertThat(changedAt(ofType(EventType.DRIFT_DETECTED).get(0))).isAfterOrEqualTo(before);
      awaitRepaired(spec);
      long repaired = System.nanoTime();
      assertThat(containerIds("swd-rm")).hasSize(2);
      report("compose docker rm -f -> DRIFT_DETECTED", changed, detected);
      report("compose DRIFT_DETECTED -> repaired (plan empty)", detected, repaired);
    }
  }

  @Test
  void aRemovedNetworkIsDetectedByEvents() {
    StackSpec spec = stack("swd-net", IMAGE, 1);
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.WARN))) {
      // the engine refuses to remove a network in use: the container leaves it first
      docker("network", "disconnect", "-f", "swd-net_default", "swd-net-web-1");
      long changed = System.nanoTime();
      docker("network", "rm", "swd-net_default");
      long detected = awaitEvent(EventType.DRIFT_DETECTED);
      assertThat(ofType(EventType.DRIFT_DETECTED))
          .extracting(OrchestratorEvent::message)
          .anySatisfy(m -> assertThat(m).contains("default"));
      report("compose docker network rm -> DRIFT_DETECTED", changed, detected);
    }
  }

  @Test
  void aContainerWithAnotherConfigurationIsReplaced() {
    StackSpec spec = stack("swd-conf", IMAGE, 1);
    deploy(spec);
    String hash =
        docker(
                "inspect",
                "-f",
                "{{index .Config.Labels \"com.docker.compose.config-hash\"}}",
                "swd-conf-web-1")
            .out()
            .trim();
    docker("rm", "-f", "swd-conf-web-1");
    // recreated by hand with other settings, under the project's labels (no config hash of ours);
    // the watch starts after the swap, so the comparison sees the container, not its absence
    Instant byHand = Instant.now();
    docker(
        "run",
        "-d",
        "--name",
        "swd-conf-web-1",
        "--label",
        "com.docker.compose.project=swd-conf",
        "--label",
        "com.docker.compose.service=web",
        "--label",
        "com.docker.compose.oneoff=False",
        "--label",
        "com.docker.compose.container-number=1",
        "--label",
        "com.docker.compose.config-hash=by-hand",
        "-e",
        "LEVEL=debug",
        IMAGE);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      watch.compareNow();
      assertThat(ofType(EventType.DRIFT_DETECTED))
          .extracting(e -> e.attributes().get("field"))
          .contains("config-hash");
      // no event led to this comparison: changedAt is the container's Created (whole seconds)
      assertThat(changedAt(ofType(EventType.DRIFT_DETECTED).get(0)))
          .isAfterOrEqualTo(byHand.truncatedTo(ChronoUnit.SECONDS))
          .isBeforeOrEqualTo(Instant.now());
      Awaitility.await().atMost(WAIT).until(() -> orchestrator().plan(spec).isEmpty());
      assertThat(
              docker(
                      "inspect",
                      "-f",
                      "{{index .Config.Labels \"com.docker.compose.config-hash\"}}",
                      "swd-conf-web-1")
                  .out()
                  .trim())
          .isEqualTo(hash);
    }
  }

  @Test
  void warnWritesNothing() {
    StackSpec spec = stack("swd-cwarn", IMAGE, 2);
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.WARN))) {
      docker("rm", "-f", "swd-cwarn-web-2");
      awaitEvent(EventType.DRIFT_DETECTED);
      List<String> ids = containerIds("swd-cwarn");
      watch.compareNow();
      watch.compareNow();

      assertThat(containerIds("swd-cwarn")).isEqualTo(ids).hasSize(1);
      assertThat(ofType(EventType.DRIFT_REPAIRED)).isEmpty();
    }
  }

  @Test
  void anExtraContainerWithTheProjectsLabelsIsReportedByEventsAndRemoved() {
    StackSpec spec = stack("swd-cextra", IMAGE, 1);
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      long started = System.nanoTime();
      docker(
          "run",
          "-d",
          "--name",
          "swd-cextra-intruder-1",
          "--label",
          "com.docker.compose.project=swd-cextra",
          "--label",
          "com.docker.compose.service=intruder",
          "--label",
          "com.docker.compose.oneoff=False",
          IMAGE);
      // a service the project does not declare: its container's events are the project's too
      // (the periodic comparison is 10 minutes away)
      long detected = awaitEventWithin(EventType.DRIFT_DETECTED, Duration.ofSeconds(30));
      OrchestratorEvent drift = ofType(EventType.DRIFT_DETECTED).get(0);
      assertThat(drift.subject()).isEqualTo("intruder");
      assertThat(drift.attributes()).containsEntry("field", "(extra)");
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> Shell.docker("inspect", "swd-cextra-intruder-1").exitCode() != 0);
      long removed = System.nanoTime();
      report("compose docker run (extra service) -> DRIFT_DETECTED", started, detected);
      report("compose extra container: DRIFT_DETECTED -> removed", detected, removed);
    }
  }

  @Test
  void aRemovedNetworkOfANameOfItsOwnIsReportedMissingByEventsAndRecreated() {
    // "back" is used only by a service scaled to 0: no container holds it, so the engine lets
    // it go without a disconnect; its name does not start with the project's "swd-cnown_"
    StackSpec spec =
        stack("swd-cnown", IMAGE, 1).toBuilder()
            .network(
                new NetworkSpec(
                    "back",
                    "swd-cnown-back",
                    null,
                    Map.of(),
                    false,
                    false,
                    false,
                    List.of(),
                    Map.of()))
            .service(ServiceSpec.builder("idle", IMAGE).network("back").replicas(0))
            .build();
    deploy(spec);
    String id = docker("network", "inspect", "-f", "{{.Id}}", "swd-cnown-back").out().trim();
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      Instant before = Instant.now();
      long changed = System.nanoTime();
      docker("network", "rm", "swd-cnown-back");
      long detected = awaitEventWithin(EventType.DRIFT_DETECTED, Duration.ofSeconds(30));
      OrchestratorEvent drift = ofType(EventType.DRIFT_DETECTED).get(0);
      assertThat(drift.subject()).isEqualTo("back");
      assertThat(drift.attributes()).containsEntry("field", "(missing)");
      assertThat(changedAt(drift)).isAfterOrEqualTo(before);
      awaitRepaired(spec);
      long recreated = System.nanoTime();
      String again = docker("network", "inspect", "-f", "{{.Id}}", "swd-cnown-back").out().trim();
      assertThat(again).isNotEqualTo(id);
      report("compose docker network rm (own name) -> DRIFT_DETECTED", changed, detected);
      report("compose network rm: DRIFT_DETECTED -> recreated", detected, recreated);
    }
  }

  private static Instant changedAt(OrchestratorEvent drift) {
    String changedAt = drift.attributes().get("changedAt");
    assertThat(changedAt).as("changedAt of " + drift).isNotNull();
    return Instant.parse(changedAt);
  }

  @Test
  void anAutoscaledServicesReplicasAreNeverReverted() {
    StackSpec spec =
        StackSpec.builder("swd-cauto")
            .service(
                ServiceSpec.builder("web", IMAGE)
                    .replicas(2)
                    .scaling(
                        ScalingPolicy.builder(1, 4)
                            .target(new CustomMetric("queue", "depth"), 10)
                            .build()))
            .build();
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      docker("rm", "-f", "swd-cauto-web-2");
      assertThat(watch.compareNow()).isEmpty();
      assertThat(ofType(EventType.DRIFT_DETECTED)).isEmpty();
      assertThat(containerIds("swd-cauto")).hasSize(1);
    }
  }

  @Test
  void aRepairThatCannotSucceedBacksOffAndAlertsOnce() {
    String image = "swd-drift/gone:test";
    docker("tag", IMAGE, image);
    StackSpec spec = stack("swd-gone", image, 1);
    deploy(spec);
    try (DriftWatch watch = orchestrator().watchDrift(spec, policy(DriftMode.REPAIR))) {
      // the tag goes first: the other way round a quick repair recreates the container from the
      // tag before it is gone, and nothing is left to fail
      docker("rmi", image);
      docker("rm", "-f", "swd-gone-web-1");
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> !ofType(EventType.DRIFT_REPAIR_STOPPED).isEmpty());
      watch.compareNow();
      watch.compareNow();
      assertThat(alerts).hasSize(1);
      assertThat(alerts.get(0).kind()).isEqualTo("drift_repair_stopped");
      assertThat(ofType(EventType.DRIFT_REPAIR_STOPPED)).hasSize(1);
      assertThat(watch.repairsStopped()).isTrue();
    } finally {
      Shell.docker("rmi", image);
    }
  }
}
