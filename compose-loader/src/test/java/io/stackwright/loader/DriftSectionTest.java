package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.drift.DriftPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code x-stackwright.drift}: at the top level and on a service, checked with locations. */
class DriftSectionTest {
  @TempDir Path dir;

  @Test
  void aStackAndItsServicesDeclareThePolicy() {
    var spec =
        TestProject.in(dir)
            .file(
                "compose.yml",
                """
                services:
                  web:
                    image: nginx
                    x-stackwright:
                      drift:
                        ignore: [TaskTemplate.ContainerSpec.Env]
                x-stackwright:
                  drift:
                    mode: repair
                    ignore: ["Labels[com.example.owner]"]
                    interval: 90s
                    jitter: 5s
                """)
            .load();

    DriftPolicy policy = DriftPolicy.of(spec);
    assertThat(policy.mode()).isEqualTo(DriftMode.REPAIR);
    assertThat(policy.interval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(policy.jitter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.ignores("web", "TaskTemplate.ContainerSpec.Env")).isTrue();
    assertThat(policy.ignores("db", "TaskTemplate.ContainerSpec.Env")).isFalse();
    assertThat(policy.ignores("db", "Labels[com.example.owner]")).isTrue();
  }

  @Test
  void noSectionIsOffAndASectionWithoutModeWarns() {
    var none = TestProject.in(dir).file("compose.yml", "services:\n  web:\n    image: nginx\n");
    assertThat(DriftPolicy.of(none.load()).mode()).isEqualTo(DriftMode.OFF);
    var warn =
        TestProject.in(dir)
            .file(
                "compose.yml",
                "services:\n  web:\n    image: nginx\nx-stackwright:\n  drift: {interval: 3m}\n");
    DriftPolicy policy = DriftPolicy.of(warn.load());
    assertThat(policy.mode()).isEqualTo(DriftMode.WARN);
    assertThat(policy.interval()).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void everyProblemIsReportedWithItsLocation() {
    var project =
        TestProject.in(dir)
            .file(
                "compose.yml",
                """
                services:
                  web:
                    image: nginx
                    x-stackwright:
                      drift:
                        ignore: TaskTemplate
                        mode: repair
                x-stackwright:
                  drift:
                    mode: fix
                    interval: soon
                    jitter: 10m
                """);

    assertThat(project.describedProblems())
        .containsExactlyInAnyOrder(
            "compose.yml:6:17: services.web.x-stackwright.drift.ignore: must be a list, not"
                + " a string",
            "compose.yml:7:9: services.web.x-stackwright.drift.mode: unknown key 'mode'; expected"
                + " one of ignore",
            "compose.yml:10:11: x-stackwright.drift.mode: must be off, warn or repair, not 'fix'",
            "compose.yml:11:15: x-stackwright.drift.interval: must be a duration such as 3m, 90s"
                + " or 1m30s, not 'soon'",
            "compose.yml:12:13: x-stackwright.drift.jitter: must be less than the interval (PT3M)");
  }
}
