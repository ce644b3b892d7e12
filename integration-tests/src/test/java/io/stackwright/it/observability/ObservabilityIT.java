package io.stackwright.it.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.RecoveryPolicy;
import io.stackwright.api.health.ReplicaHealth;
import io.stackwright.api.rollout.CanaryPolicy;
import io.stackwright.api.rollout.CanaryStep;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.drift.DriftWatch;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.core.scaling.Autoscaling;
import io.stackwright.core.scaling.PromQlMetricSource;
import io.stackwright.core.state.FileStateStore;
import io.stackwright.it.Shell;
import io.stackwright.micrometer.MicrometerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stackwright's meters through Micrometer's Prometheus registry, scraped by a real Prometheus while
 * an orchestrator deploys, autoscales (on a PromQL query against that Prometheus), rolls out a
 * canary, and breaks a stack on a single engine; then the series are read back with PromQL, every
 * panel of docs/grafana/stackwright.json is run, and docs/prometheus/stackwright-rules.yml must
 * raise its crash-loop alert.
 */
class ObservabilityIT {
  /** Series that later work records; panels over them only need to parse. */
  static final Map<String, String> PENDING =
      Map.of(
          "stackwright_jobs_", "the job engine (controller)",
          "stackwright_engine_requests_", "the Engine API meters (docker-support)");

  /** The tenant whose quota the test fills in part. */
  private static final String TENANT = "mx-tenant";

  /** Panels that show only failures of series that exist: empty while nothing fails. */
  private static final Set<String> COUNTS_FAILURES_ONLY = Set.of("Engine errors");

  private static final Pattern METRIC_NAME =
      Pattern.compile("\\b(stackwright(?:_|:)[a-z_:]+|ALERTS)\\b");

  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> stacks = new ArrayList<>();
  private final AtomicInteger queueLength = new AtomicInteger();
  private PrometheusMeterRegistry registry;
  private MetricsEndpoint endpoint;
  private PrometheusServer prometheus;
  private Orchestrator orchestrator;
  private Path stateDir;
  private Path rules;

  @BeforeEach
  void start() throws Exception {
    PrometheusServer.assumeInstalled();
    rules = PrometheusServer.repositoryRoot().resolve("docs/prometheus/stackwright-rules.yml");
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // the host application's own meter, which the autoscaler reads back through Prometheus
    Gauge.builder("mx.test.queue.length", queueLength, AtomicInteger::get).register(registry);
    endpoint = MetricsEndpoint.start(registry);
    prometheus = PrometheusServer.start(List.of(endpoint.target()), List.of(rules));
    MicrometerMetrics metrics = MicrometerMetrics.of(registry);
    stateDir = Files.createTempDirectory("mx-obs-state");
    orchestrator =
        Orchestrator.builder()
            .platform("compose")
            .metrics(metrics)
            .listener(events::add)
            .metricSource(PromQlMetricSource.builder(prometheus.uri()).build())
            .stateStore(new FileStateStore(stateDir))
            .tenant(
                io.stackwright.api.tenancy.Tenant.builder(TENANT)
                    .quota(io.stackwright.api.tenancy.TenantQuota.builder().replicas(4).build())
                    .build())
            .build();
  }

  @AfterEach
  void stop() {
    try {
      if (orchestrator != null) {
        for (String stack : stacks) {
          try {
            orchestrator.remove(stack, RemoveOptions.withVolumes());
          } catch (RuntimeException e) {
            System.out.printf("[observability] removing %s: %s%n", stack, e.getMessage());
          }
        }
        orchestrator.close();
      }
    } finally {
      if (prometheus != null) {
        prometheus.close();
      }
      if (endpoint != null) {
        endpoint.close();
      }
    }
  }

  private String stackName(String what) {
    String name = "mx-" + what + Long.toString(System.nanoTime() % 1_000_000, 36);
    stacks.add(name);
    return name;
  }

  static ServiceSpec.Builder web(String image, String stack) {
    ProbeSpec.Builder health =
        ProbeSpec.http(8080, "/health")
            .period(Duration.ofSeconds(1))
            .timeout(Duration.ofSeconds(1))
            .failureThreshold(2);
    return ServiceSpec.builder("web", image)
        .replicas(1)
        .endpointMode(ServiceSpec.EndpointMode.DNSRR)
        .stopGracePeriod(Duration.ofSeconds(2))
        .healthcheck(
            HealthcheckSpec.cmd("/server", "--probe")
                .withTimings(Duration.ofMillis(500), Duration.ofSeconds(2), null, 2))
        .health(HealthPolicy.builder().liveness(health).readiness(health).build())
        .scaling(
            ScalingPolicy.builder(1, 3)
                .target(
                    new CustomMetric("promql", "sum(mx_test_queue_length{job=\"stackwright\"})"),
                    10)
                .interval(Duration.ofSeconds(1))
                .build())
        .rollout(
            RolloutPolicy.builder(RolloutPolicy.Strategy.CANARY)
                .canary(
                    CanaryPolicy.builder()
                        .step(CanaryStep.replicas(1, Duration.ofSeconds(2)))
                        .build())
                .build());
  }

  private DeploymentResult deploy(StackSpec spec, boolean wait) {
    return orchestrator
        .deploy(
            spec, wait ? DeployOptions.waitingUpTo(Duration.ofMinutes(2)) : DeployOptions.noWait())
        .await(Duration.ofMinutes(3));
  }

  private double value(String promql) {
    return prometheus.value(promql);
  }

  private void awaitValue(String what, String promql, double expected) {
    await(what)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> value(promql) == expected);
  }

  @Test
  void aRealPrometheusSeesADeployAScaleACanaryAndACrashLoopAndAlerts() throws Exception {
    String stack = stackName("obs");
    String sel = "{stack=\"" + stack + "\",service=\"web\"}";

    // deploy
    StackSpec v1 =
        StackSpec.builder(stack).service(web("stackwright/workload:test", stack).build()).build();
    DeploymentResult deployed = deploy(v1, true);
    assertThat(deployed.succeeded()).as(deployed.message()).isTrue();
    HealthWatch watch = orchestrator.monitor(v1);
    try {
      awaitValue("1 ready replica in Prometheus", "stackwright_replicas_ready" + sel, 1);
      assertThat(value("stackwright_replicas_desired" + sel)).isEqualTo(1);
      assertThat(value("stackwright_replicas_running" + sel)).isEqualTo(1);
      assertThat(
              value(
                  "sum(stackwright_probe_results_total{stack=\""
                      + stack
                      + "\",probe=\"liveness\",outcome=\"passed\"})"))
          .isPositive();
      assertThat(
              value(
                  "sum(stackwright_rollouts_seconds_count{stack=\""
                      + stack
                      + "\",outcome=\"succeeded\"})"))
          .isEqualTo(1);

      // scale: the autoscaler reads the host's queue length back from Prometheus
      try (Autoscaling autoscaling = orchestrator.autoscale(v1)) {
        await().atMost(Duration.ofSeconds(30)).until(autoscaling::leading);
        long started = System.nanoTime();
        queueLength.set(20); // 20 waiting, 10 per replica: 2 replicas
        awaitValue("2 desired replicas", "stackwright_replicas_desired" + sel, 2);
        System.out.printf(
            "[observability] PromQL autoscaling: 1 -> 2 replicas %d ms after the queue grew%n",
            (System.nanoTime() - started) / 1_000_000);
        awaitValue("autoscaler wants 2", "stackwright_autoscaler_desired_replicas" + sel, 2);
        // the value used: 20 in total over the 1 replica that was ready when it scaled
        JsonNode used = prometheus.query("stackwright_autoscaler_metric_value" + sel);
        assertThat(used).hasSize(1);
        assertThat(used.get(0).path("metric").path("kind").asText())
            .isEqualTo("promql:sum(mx_test_queue_length{job=\"stackwright\"})");
        awaitValue(
            "an up decision",
            "sum(stackwright_autoscaler_decisions_total{stack=\""
                + stack
                + "\",direction=\"up\",outcome=\"scaled\"})",
            1);
        awaitValue("2 ready replicas", "stackwright_replicas_ready" + sel, 2);
      }
    } finally {
      watch.close();
    }

    // roll out v2 as a one-step replica canary
    StackSpec v2 =
        StackSpec.builder(stack).service(web("stackwright/workload:v2", stack).build()).build();
    DeploymentResult rolled = deploy(v2, true);
    assertThat(rolled.succeeded()).as(rolled.message()).isTrue();
    awaitValue(
        "two rollouts",
        "sum(stackwright_rollouts_seconds_count{stack=\"" + stack + "\",outcome=\"succeeded\"})",
        2);
    assertThat(
            value(
                "stackwright_rollouts_seconds_count{stack=\""
                    + stack
                    + "\",strategy=\"canary\",outcome=\"succeeded\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(value("max_over_time(stackwright_rollout_canary_step{stack=\"" + stack + "\"}[5m])"))
        .isEqualTo(1);
    assertThat(value("stackwright_rollout_phase{stack=\"" + stack + "\",phase=\"healthy\"}"))
        .isEqualTo(1);
    assertThat(
            value("stackwright_rollouts_seconds_sum{stack=\"" + stack + "\",strategy=\"canary\"}"))
        .isPositive();

    // break it: one replica stops answering its liveness probe and is replaced, and a second
    // stack's only service crashes at every start
    String broken = stackName("brk");
    try (HealthWatch v2Watch = orchestrator.monitor(v2)) {
      ReplicaHealth replica =
          await("a probed replica")
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      v2Watch.replicas().stream()
                          .filter(r -> r.address() != null && r.lastProbeAt() != null && r.live())
                          .findFirst(),
                  java.util.Optional::isPresent)
              .orElseThrow();
      HttpResponse<String> failed =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://" + replica.address() + ":8080/admin/health/fail"))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(failed.statusCode()).isEqualTo(200);
      awaitValue(
          "a replacement",
          "sum(stackwright_replica_replacements_total{stack=\"" + stack + "\"})",
          1);
      assertThat(
              value(
                  "sum(stackwright_probe_results_total{stack=\""
                      + stack
                      + "\",probe=\"liveness\",outcome=\"failed\"})"))
          .isGreaterThanOrEqualTo(2);

      StackSpec crashing =
          StackSpec.builder(broken)
              .service(
                  ServiceSpec.builder("worker", "stackwright/workload:test")
                      .replicas(1)
                      .stopGracePeriod(Duration.ofSeconds(1))
                      .entrypoint(List.of("/bin/sh", "-c", "sleep 1; exit 3"))
                      .restartPolicy(
                          new RestartPolicy(
                              RestartPolicy.Condition.ANY, Duration.ofSeconds(1), null, null))
                      .health(
                          HealthPolicy.builder()
                              .liveness(ProbeSpec.tcp(8080).period(Duration.ofSeconds(1)))
                              .recovery(
                                  RecoveryPolicy.builder()
                                      .crashLoop(3, Duration.ofMinutes(5))
                                      .build())
                              .build())
                      .build())
              .build();
      deploy(crashing, false);
      try (HealthWatch brokenWatch = orchestrator.monitor(crashing)) {
        long breaking = System.nanoTime();
        await("crash loop")
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    events.stream()
                        .anyMatch(
                            e -> e.type() == EventType.CRASH_LOOP && broken.equals(e.stack())));
        long loopAt = System.nanoTime();
        JsonNode alert =
            await("StackwrightCrashLooping fires")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> alert("StackwrightCrashLooping", broken, "firing"), a -> a != null);
        long firedAt = System.nanoTime();
        System.out.printf(
            "[observability] crash loop %d ms after the broken deploy; alert firing %d ms after the"
                + " loop (scrape and evaluation every 1 s)%n",
            (loopAt - breaking) / 1_000_000, (firedAt - loopAt) / 1_000_000);
        assertThat(alert.path("labels").path("service").asText()).isEqualTo("worker");
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
        // the third crash may be one scrape behind the loop
        await("3 crashes scraped")
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> value("sum(stackwright_replica_crashes_total{stack=\"" + broken + "\"})"),
                crashes -> crashes >= 3);
        assertThat(
                value("stackwright_crash_loops_total{stack=\"" + broken + "\",service=\"worker\"}"))
            .isEqualTo(1);
        // the worker's replica is down: below desired, pending for the rule's 5 minutes
        await("StackwrightReplicasBelowDesired pending")
            .atMost(Duration.ofSeconds(30))
            .until(() -> alert("StackwrightReplicasBelowDesired", broken, null), a -> a != null);

        tenantsQuotaAndDrift();
        checkRules();
        checkDashboard();
        printFigures();
      }
    }
  }

  /**
   * A tenant's stack: its quota's use and limit in Prometheus; then a container of it removed
   * behind Stackwright's back, detected and repaired by the drift supervisor.
   */
  private void tenantsQuotaAndDrift() {
    String owned = stackName("ten");
    StackSpec spec =
        StackSpec.builder(owned)
            .service(
                ServiceSpec.builder("web", "stackwright/workload:test")
                    .replicas(1)
                    .stopGracePeriod(Duration.ofSeconds(1))
                    .build())
            .build();
    DeploymentResult admitted =
        orchestrator
            .tenant(TENANT)
            .stack(owned)
            .deploy(spec, DeployOptions.waitingUpTo(Duration.ofMinutes(2)))
            .await(Duration.ofMinutes(3));
    assertThat(admitted.succeeded()).as(admitted.message()).isTrue();
    String replicas = "{tenant=\"" + TENANT + "\",resource=\"replicas\"}";
    awaitValue("the tenant's replicas in use", "stackwright_quota_used" + replicas, 1);
    assertThat(value("stackwright_quota_hard" + replicas)).isEqualTo(4);

    DriftPolicy repair =
        DriftPolicy.builder(DriftMode.REPAIR)
            .interval(Duration.ofMinutes(10))
            .jitter(Duration.ZERO)
            .build();
    try (DriftWatch drift = orchestrator.watchDrift(spec, repair)) {
      String detected = "sum(stackwright_drift_detected_total{stack=\"" + owned + "\"})";
      String repaired = "sum(stackwright_drift_repaired_total{stack=\"" + owned + "\"})";
      // the watch's counters start at 0; scraped at 0 first, the dashboard's increase() sees the
      // repair (a series that first appears at 1 shows no increase)
      awaitValue("the drift counters at 0", repaired, 0);
      Shell.docker("rm", "-f", owned + "-web-1");
      await("the drift detected and repaired, in Prometheus")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> value(detected) >= 1 && value(repaired) >= 1);
    }
  }

  /** The alert named {@code name} for {@code stack} (in {@code state}, if given), or null. */
  private JsonNode alert(String name, String stack, String state) {
    for (JsonNode alert : prometheus.alerts()) {
      if (name.equals(alert.path("labels").path("alertname").asText())
          && stack.equals(alert.path("labels").path("stack").asText())
          && (state == null || state.equals(alert.path("state").asText()))) {
        return alert;
      }
    }
    return null;
  }

  private void checkRules() throws Exception {
    if (Files.isExecutable(PrometheusServer.PROMTOOL)) {
      Process check =
          new ProcessBuilder(
                  PrometheusServer.PROMTOOL.toString(), "check", "rules", rules.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(check.getInputStream().readAllBytes());
      assertThat(check.waitFor()).as(output).isZero();
      assertThat(output).contains("SUCCESS");
    } else {
      System.out.printf(
          "[observability] no promtool next to %s: rules checked by Prometheus only%n",
          PrometheusServer.BINARY);
    }
    List<String> names = new ArrayList<>();
    for (JsonNode group : prometheus.ruleGroups()) {
      for (JsonNode rule : group.path("rules")) {
        names.add(rule.path("name").asText());
        assertThat(rule.path("health").asText())
            .as("rule %s: %s", rule.path("name").asText(), rule.path("lastError").asText())
            .isEqualTo("ok");
      }
    }
    assertThat(names)
        .contains(
            "StackwrightCrashLooping",
            "StackwrightReplicasBelowDesired",
            "StackwrightJobsFailing",
            "StackwrightDriftNotRepaired",
            "StackwrightQuotaNearLimit");
  }

  /**
   * Every panel's PromQL parses and runs; panels whose series exist return data, the others wait on
   * the work {@link #PENDING} names, and are listed.
   */
  private void checkDashboard() throws Exception {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(
                PrometheusServer.repositoryRoot()
                    .resolve("docs/grafana/stackwright.json")
                    .toFile());
    Set<String> present = new TreeSet<>(prometheus.names());
    Map<String, String> waiting = new LinkedHashMap<>();
    List<String> withData = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    Set<String> titles = new LinkedHashSet<>();
    for (JsonNode panel : panels) {
      if ("row".equals(panel.path("type").asText())) {
        titles.add(panel.path("title").asText());
        continue;
      }
      String title = panel.path("title").asText();
      assertThat(panel.path("targets")).as("targets of %s", title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        String promql =
            expr.replace("$__rate_interval", "1m")
                .replace("$__interval", "15s")
                .replace("$__range", "1h")
                .replace("$stack", ".*");
        JsonNode answer = prometheus.instant(promql);
        if (!"success".equals(answer.path("status").asText())) {
          problems.add(title + ": " + expr + " -> " + answer.path("error").asText());
          continue;
        }
        Set<String> missing = new TreeSet<>();
        Matcher m = METRIC_NAME.matcher(expr);
        while (m.find()) {
          String name = m.group(1);
          if (present.stream().noneMatch(n -> n.equals(name) || n.startsWith(name + "_"))) {
            missing.add(name);
          }
        }
        boolean hasData = !answer.path("data").path("result").isEmpty();
        if (missing.isEmpty()) {
          if (hasData) {
            withData.add(title);
          } else if (COUNTS_FAILURES_ONLY.contains(title)) {
            // its series exist; the panel selects their failures, and the test's engine had none
            System.out.printf("[observability] panel '%s' has no data: nothing failed%n", title);
          } else {
            problems.add(title + ": " + promql + " returned no data");
          }
        } else {
          for (String name : missing) {
            String owner =
                PENDING.entrySet().stream()
                    .filter(p -> name.startsWith(p.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
            if (owner == null) {
              problems.add(title + ": no series " + name + " and no work records it");
            } else {
              waiting.merge(title, owner, (a, b) -> a.contains(b) ? a : a + ", " + b);
            }
          }
        }
      }
    }
    System.out.printf(
        "[observability] dashboard: %d panels, %d with data now: %s%n",
        panels.size() - titles.size(),
        new LinkedHashSet<>(withData).size(),
        new LinkedHashSet<>(withData));
    waiting.forEach(
        (title, owner) ->
            System.out.printf("[observability] panel '%s' waits on %s%n", title, owner));
    assertThat(problems).as("dashboard panels").isEmpty();
    assertThat(titles)
        .containsExactly(
            "Fleet overview",
            "Replicas and health",
            "Jobs",
            "Rollouts",
            "Scaling",
            "Drift",
            "Quotas",
            "Docker Engine API");
  }

  private void printFigures() {
    System.out.printf(
        "[observability] %s stackwright series; scrape of the /metrics endpoint took %.1f ms"
            + " (Prometheus' scrape_duration_seconds), %d scrapes%n",
        prometheus.value("count({__name__=~\"stackwright_.+\"})"),
        prometheus.value("scrape_duration_seconds{job=\"stackwright\"}") * 1000,
        endpoint.scrapes.get());
  }
}
