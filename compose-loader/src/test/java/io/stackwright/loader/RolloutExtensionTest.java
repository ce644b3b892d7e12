package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.rollout.CanaryStep;
import io.stackwright.api.rollout.RolloutPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code x-stackwright.rollout}: the schema of docs/x-stackwright.md, and its bad input. */
class RolloutExtensionTest {
  @TempDir Path dir;

  private TestProject project(String yaml) {
    return TestProject.in(dir).file("compose.yml", yaml);
  }

  @Test
  void aVerifiedRollingUpdateWithComposeUpdateConfig() {
    ServiceSpec web =
        project(
                """
                services:
                  web:
                    image: shop:v2
                    deploy:
                      replicas: 4
                      update_config:
                        parallelism: 2
                        delay: 1s
                        order: start-first
                        failure_action: rollback
                        monitor: 5s
                    x-stackwright:
                      rollout:
                        strategy: rolling
                        verify_for: 30s
                """)
            .service();

    assertThat(web.rollout()).isEqualTo(RolloutPolicy.rolling(Duration.ofSeconds(30)));
    assertThat(web.updatePolicy().parallelism()).isEqualTo(2);
    assertThat(web.updatePolicy().order()).isEqualTo(UpdatePolicy.Order.START_FIRST);
    assertThat(web.updatePolicy().failureAction()).isEqualTo(UpdatePolicy.FailureAction.ROLLBACK);
  }

  @Test
  void blueGreenAndCanarySettings() {
    ServiceSpec blueGreen =
        project(
                """
                services:
                  web:
                    image: shop:v2
                    x-stackwright:
                      rollout:
                        strategy: blue-green
                        auto_rollback: false
                        blue_green: {verify_for: 5s, keep_old_for: 2m, auto_switch: false}
                """)
            .service();
    assertThat(blueGreen.rollout().strategy()).isEqualTo(RolloutPolicy.Strategy.BLUE_GREEN);
    assertThat(blueGreen.rollout().autoRollback()).isFalse();
    assertThat(blueGreen.rollout().blueGreen().keepOldFor()).isEqualTo(Duration.ofMinutes(2));
    assertThat(blueGreen.rollout().blueGreen().autoSwitch()).isFalse();

    ServiceSpec canary =
        project(
                """
                services:
                  web:
                    image: shop:v2
                    x-stackwright:
                      rollout:
                        strategy: canary
                        canary:
                          steps:
                            - {weight: 10, pause: 30s}
                            - {weight: 50, pause: 1m}
                          analysis:
                            errors_metric: workload_errors_total
                            requests_metric: workload_requests_total
                            max_error_rate: 0.01
                """)
            .service();
    assertThat(canary.rollout().canary().steps())
        .containsExactly(
            CanaryStep.weight(10, Duration.ofSeconds(30)),
            CanaryStep.weight(50, Duration.ofMinutes(1)));
    assertThat(canary.rollout().canary().analysis().maxErrorRate()).isEqualTo(0.01);
    assertThat(canary.rollout().canary().analysis().errorsMetric())
        .isEqualTo("workload_errors_total");
    assertThat(canary.rollout().canary().autoPromote()).isTrue();
  }

  @Test
  void badInputNamesFileLineAndKey() {
    assertThat(
            project(
                    """
                    services:
                      web:
                        image: shop:v2
                        x-stackwright:
                          rollout:
                            strategy: big-bang
                            verify_for: soon
                            canary:
                              steps:
                                - {weight: 10, replicas: 2}
                            colour: blue
                    """)
                .describedProblems())
        .containsExactlyInAnyOrder(
            "compose.yml:6:19: services.web.x-stackwright.rollout.strategy: unknown rollout strategy 'big-bang'; expected rolling, blue-green or canary",
            "compose.yml:7:21: services.web.x-stackwright.rollout.verify_for: invalid duration 'soon' (expected a duration such as 10s, 1m30s or 500ms)",
            "compose.yml:10:15: services.web.x-stackwright.rollout.canary.steps[0]: a canary step sets either weight or replicas",
            "compose.yml:11:9: services.web.x-stackwright.rollout.colour: unknown key 'colour'; expected one of auto_rollback, blue_green, canary, strategy, verify_for");
  }

  @Test
  void aCanaryWithoutStepsIsAProblem() {
    assertThat(
            project(
                    """
                    services:
                      web:
                        image: shop:v2
                        x-stackwright:
                          rollout:
                            strategy: canary
                    """)
                .describedProblems())
        .singleElement()
        .asString()
        .contains("services.web.x-stackwright.rollout")
        .contains("canary");
  }
}
