package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeCheck;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.ProbeTier;
import io.stackwright.api.health.RecoveryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code x-stackwright.health}: the schema in docs/x-stackwright.md, and its problems. */
class HealthExtensionTest {
  @TempDir Path dir;

  private TestProject project(String health) {
    return TestProject.in(dir)
        .file(
            "compose.yml",
            "services:\n  web:\n    image: nginx\n    x-stackwright:\n      health:\n" + health);
  }

  @Test
  void everyProbeKindAndSettingIsRead() {
    HealthPolicy policy =
        project(
                """
                        startup:
                          tcp: 8080
                          period: 2s
                          failure_threshold: 30
                        liveness:
                          http:
                            port: 8080
                            path: /health
                            method: HEAD
                            scheme: https
                            headers: {X-Probe: "1"}
                            status: 200-299
                            body_contains: ok
                            body_matches: "^ok"
                          initial_delay: 5s
                          period: 10s
                          timeout: 2s
                          failure_threshold: 4
                        readiness:
                          exec: /server --probe /ready
                          success_threshold: 2
                        recovery:
                          replace: true
                          backoff: 2s
                          max_backoff: 1m
                          crash_loop: {failures: 4, window: 5m}
                """)
            .service()
            .health();
    assertThat(policy.probe(ProbeTier.STARTUP).orElseThrow())
        .isEqualTo(ProbeSpec.tcp(8080).period(Duration.ofSeconds(2)).failureThreshold(30).build());
    ProbeSpec liveness = policy.probe(ProbeTier.LIVENESS).orElseThrow();
    assertThat(liveness.check())
        .isEqualTo(
            new ProbeCheck.Http(
                true, "HEAD", 8080, "/health", Map.of("X-Probe", "1"), 200, 299, "ok", "^ok"));
    assertThat(liveness.initialDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(liveness.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(liveness.failureThreshold()).isEqualTo(4);
    ProbeSpec readiness = policy.probe(ProbeTier.READINESS).orElseThrow();
    assertThat(readiness.check())
        .isEqualTo(new ProbeCheck.Exec(List.of("/server", "--probe", "/ready")));
    assertThat(readiness.successThreshold()).isEqualTo(2);
    assertThat(policy.recovery())
        .isEqualTo(
            new RecoveryPolicy(
                true, Duration.ofSeconds(2), Duration.ofMinutes(1), 4, Duration.ofMinutes(5)));
  }

  @Test
  void engineAndCustomProbesAndDefaults() {
    HealthPolicy policy =
        project(
                """
                        liveness:
                          engine: true
                        readiness:
                          custom: {name: db, settings: {query: "select 1"}}
                """)
            .service()
            .health();
    assertThat(policy.probe(ProbeTier.LIVENESS).orElseThrow())
        .isEqualTo(ProbeSpec.engine().build());
    assertThat(policy.probe(ProbeTier.READINESS).orElseThrow().check())
        .isEqualTo(new ProbeCheck.Custom("db", Map.of("query", "select 1")));
    assertThat(policy.recovery()).isEqualTo(RecoveryPolicy.DEFAULT);
  }

  @Test
  void problemsNameFileLineColumnAndKey() {
    assertThat(
            project(
                    """
                            livenes:
                              tcp: 80
                            readiness:
                              http: {path: /x}
                              period: soon
                            startup:
                              tcp: 80
                              exec: [a]
                            recovery:
                              crash_loop: {failures: 0}
                    """)
                .describedProblems())
        .containsExactly(
            "compose.yml:6:9: services.web.x-stackwright.health.livenes: unknown key 'livenes' (did you mean 'liveness'?); expected one of liveness, readiness, recovery, startup",
            "compose.yml:9:17: services.web.x-stackwright.health.readiness.http: an http probe needs a port",
            "compose.yml:10:19: services.web.x-stackwright.health.readiness.period: invalid duration 'soon' (expected a duration such as 10s, 1m30s or 500ms)",
            "compose.yml:12:11: services.web.x-stackwright.health.startup: a probe checks one thing; found tcp and exec",
            "compose.yml:15:11: services.web.x-stackwright.health.recovery: max replacements must be 1 or more, was 0");
  }

  @Test
  void aProbeWithoutACheckAndBadValuesAreProblems() {
    assertThat(
            project(
                    """
                        liveness:
                          period: 1s
                        readiness:
                          http: {port: 70000, status: 600-100}
                """)
                .describedProblems())
        .containsExactly(
            "compose.yml:7:11: services.web.x-stackwright.health.liveness: a probe needs one of http, tcp, exec, engine or custom",
            "compose.yml:9:17: services.web.x-stackwright.health.readiness.http: port must be 1..65535, was 70000");
  }
}
