package io.stackwright.core.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.drift.DriftReport;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.core.drift.internal.DriftDetector;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final DriftDetector detector = new DriftDetector();

  private static StackSpec stack(ServiceSpec web) {
    return StackSpec.builder("shop").service(web).build();
  }

  private static ServiceSpec plain() {
    return ServiceSpec.builder("web", "stackwright/workload:test").build();
  }

  private static Plan update(String key, FieldChange... fields) {
    return new Plan(
        "shop", List.of(new Change.Update(ResourceKind.SERVICE, key, List.of(fields), 3)));
  }

  @Test
  @DisplayName("each differing field is one report with its path, desired and live value")
  void fieldsBecomeReports() {
    Plan plan =
        update(
            "web",
            new FieldChange("TaskTemplate.ContainerSpec.Env", "(redacted)", "(redacted)"),
            new FieldChange("Labels[com.example.team]", "ops", "shop"));
    List<DriftReport> reports =
        detector.detect(stack(plain()), plan, DriftPolicy.builder(DriftMode.WARN).build(), T0);

    assertThat(reports)
        .extracting(DriftReport::field, DriftReport::desired, DriftReport::live)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "TaskTemplate.ContainerSpec.Env", "(redacted)", "(redacted)"),
            org.assertj.core.groups.Tuple.tuple("Labels[com.example.team]", "shop", "ops"));
    assertThat(reports).allMatch(r -> r.firstSeen().equals(T0) && r.resource().equals("web"));
  }

  @Test
  @DisplayName(
      "each field's report says when the engine says the live resource last changed, if it does")
  void changedAtFromThePlan() {
    Instant updatedAt = Instant.parse("2025-12-31T23:58:30.123456789Z");
    Plan plan =
        new Plan(
            "shop",
            List.of(
                new Change.Update(
                    ResourceKind.SERVICE,
                    "web",
                    List.of(
                        new FieldChange("Labels[a]", "x", "y"),
                        new FieldChange("Labels[b]", "1", "2")),
                    3,
                    updatedAt),
                new Change.Update(
                    ResourceKind.SECRET,
                    "token",
                    List.of(new FieldChange("Labels[c]", "p", "q")),
                    1),
                new Change.Create(ResourceKind.NETWORK, "back")));
    List<DriftReport> reports =
        detector.detect(stack(plain()), plan, DriftPolicy.builder(DriftMode.WARN).build(), T0);

    assertThat(reports)
        .extracting(DriftReport::key, DriftReport::changedAt, DriftReport::changedBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("service web Labels[a]", updatedAt, null),
            org.assertj.core.groups.Tuple.tuple("service web Labels[b]", updatedAt, null),
            org.assertj.core.groups.Tuple.tuple("secret token Labels[c]", null, null),
            org.assertj.core.groups.Tuple.tuple("network back (missing)", null, null));
    // seen again later: firstSeen stays, changedAt is what the engine says now
    Instant later = T0.plusSeconds(60);
    assertThat(
            detector.detect(
                stack(plain()), plan, DriftPolicy.builder(DriftMode.WARN).build(), later))
        .first()
        .satisfies(
            r -> {
              assertThat(r.firstSeen()).isEqualTo(T0);
              assertThat(r.changedAt()).isEqualTo(updatedAt);
            });
  }

  @Test
  @DisplayName("a missing resource and an extra one with the stack's labels are drift")
  void missingAndExtra() {
    Plan plan =
        new Plan(
            "shop",
            List.of(
                new Change.Create(ResourceKind.NETWORK, "back"),
                new Change.Delete(ResourceKind.SERVICE, "intruder")));
    List<DriftReport> reports =
        detector.detect(stack(plain()), plan, DriftPolicy.builder(DriftMode.WARN).build(), T0);

    assertThat(reports)
        .extracting(DriftReport::key)
        .containsExactly("network back (missing)", "service intruder (extra)");
  }

  @Test
  @DisplayName(
      "ignore rules by path, stack-wide and per service, switch fields off and what is under them")
  void ignoreRules() {
    Plan plan =
        update(
            "web",
            new FieldChange("Labels[com.example.team]", "ops", "shop"),
            new FieldChange("TaskTemplate.ContainerSpec.Env", "(redacted)", "(redacted)"),
            new FieldChange("TaskTemplate.Resources.Limits.MemoryBytes", "1", "2"));
    DriftPolicy policy =
        DriftPolicy.builder(DriftMode.REPAIR)
            .ignore("Labels")
            .ignore("web", "TaskTemplate.ContainerSpec")
            .ignore("other", "TaskTemplate.Resources")
            .build();

    assertThat(detector.detect(stack(plain()), plan, policy, T0))
        .extracting(DriftReport::field)
        .containsExactly("TaskTemplate.Resources.Limits.MemoryBytes");
    assertThat(policy.ignores("web", "TaskTemplate.ContainerSpecX")).isFalse();
  }

  @Test
  @DisplayName("the replica count of an autoscaled service is not drift, on Swarm or one engine")
  void autoscaledReplicas() {
    ServiceSpec scaled =
        ServiceSpec.builder("web", "stackwright/workload:test")
            .scaling(
                ScalingPolicy.builder(1, 5)
                    .target(new io.stackwright.api.scaling.CustomMetric("src", "queue"), 10)
                    .build())
            .build();
    Plan swarm = update("web", new FieldChange("Mode.Replicated.Replicas", "4", "2"));
    Plan engine =
        update(
            "web",
            new FieldChange("replicas", "4", "2"),
            new FieldChange("containers", "shop-web-3 running; shop-web-4 running", "removed"));
    DriftPolicy policy = DriftPolicy.builder(DriftMode.REPAIR).build();

    assertThat(detector.detect(stack(scaled), swarm, policy, T0)).isEmpty();
    assertThat(detector.detect(stack(scaled), engine, policy, T0)).isEmpty();
    assertThat(detector.detect(stack(plain()), swarm, policy, T0)).hasSize(1);
  }

  @Test
  @DisplayName("the engine's bookkeeping (version, PreviousSpec, update status) is not drift")
  void bookkeeping() {
    Plan plan =
        update(
            "web",
            new FieldChange("Version.Index", "10", "9"),
            new FieldChange("PreviousSpec.Labels", "a", "b"),
            new FieldChange("UpdateStatus.State", "completed", null));
    assertThat(
            detector.detect(stack(plain()), plan, DriftPolicy.builder(DriftMode.WARN).build(), T0))
        .isEmpty();
  }

  @Test
  @DisplayName(
      "a rolling update the engine paused is drift: nothing runs the spec until it is written again")
  void pausedUpdate() {
    DriftPolicy policy = DriftPolicy.builder(DriftMode.REPAIR).build();
    for (String paused : List.of("paused", "rollback_paused")) {
      Plan plan = update("web", new FieldChange("UpdateStatus.State", paused, "completed"));
      assertThat(detector.detect(stack(plain()), plan, policy, T0))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.key()).isEqualTo("service web UpdateStatus.State");
                assertThat(r.live()).isEqualTo(paused);
                assertThat(r.desired()).isEqualTo("completed");
              });
    }
    // the rest of the update status stays bookkeeping, and an ignore rule still switches it off
    Plan updating = update("web", new FieldChange("UpdateStatus.State", "updating", "completed"));
    assertThat(detector.detect(stack(plain()), updating, policy, T0)).isEmpty();
    Plan paused = update("web", new FieldChange("UpdateStatus.State", "paused", "completed"));
    assertThat(
            detector.detect(
                stack(plain()),
                paused,
                DriftPolicy.builder(DriftMode.REPAIR).ignore("UpdateStatus").build(),
                T0))
        .isEmpty();
  }

  @Test
  @DisplayName(
      "a difference keeps when it was first seen while it lasts, and is forgotten when gone")
  void firstSeen() {
    Plan plan = update("web", new FieldChange("Labels[a]", "x", "y"));
    DriftPolicy policy = DriftPolicy.builder(DriftMode.WARN).build();
    detector.detect(stack(plain()), plan, policy, T0);
    Instant later = T0.plus(Duration.ofMinutes(3));

    assertThat(detector.detect(stack(plain()), plan, policy, later).get(0).firstSeen())
        .isEqualTo(T0);
    detector.detect(stack(plain()), new Plan("shop", List.of()), policy, later);
    assertThat(
            detector.detect(stack(plain()), plan, policy, later.plusSeconds(1)).get(0).firstSeen())
        .isEqualTo(later.plusSeconds(1));
  }
}
