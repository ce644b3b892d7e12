package io.stackwright.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.stackwright.it.Shell;
import io.stackwright.it.Shell.Result;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stackwright watch} from the shell, on the single-engine platform. */
class WatchCommandIT {
  private static final String STACK = "hlth-cliwatch";
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void remove() {
    Shell.cli("remove", "-p", STACK, "--platform", "compose");
  }

  @Test
  void deploysProbesReplacesAndAlertsPrintingJsonLinesUntilItsTimeIsUp(@TempDir Path dir)
      throws IOException {
    List<String> alerts = new CopyOnWriteArrayList<>();
    HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/",
        exchange -> {
          alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    webhook.start();
    Path compose = dir.resolve("compose.yml");
    Files.writeString(
        compose,
        """
        services:
          web:
            image: stackwright/workload:test
            environment:
              FAIL_HEALTH: "1"
            x-stackwright:
              health:
                liveness:
                  http: {port: 8080, path: /health}
                  period: 500ms
                  failure_threshold: 2
                recovery:
                  backoff: 500ms
                  crash_loop: {failures: 3, window: 5m}
        """);
    Result result;
    try {
      result =
          Shell.cli(
              "watch",
              "-f",
              compose.toString(),
              "-p",
              STACK,
              "--platform",
              "compose",
              "--json",
              "--for",
              "PT25S",
              "--state-dir",
              dir.resolve("state").toString(),
              "--metrics",
              "--webhook",
              "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts");
    } finally {
      webhook.stop(0);
    }
    assertThat(result.exitCode()).as(result.all()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : result.out().split("\n")) {
      if (line.startsWith("{")) {
        lines.add(JSON.readTree(line));
      }
    }
    List<String> types = lines.stream().map(n -> n.path("type").asText()).toList();
    assertThat(types)
        .contains(
            "DEPLOYMENT_SUCCEEDED", "PROBE_FAILED", "REPLICA_REPLACED", "CRASH_LOOP", "ALERT_SENT");
    assertThat(lines).allSatisfy(n -> assertThat(n.path("stack").asText()).isEqualTo(STACK));
    assertThat(alerts).singleElement().asString().contains("\"kind\":\"crash_loop\"");
    assertThat(result.out())
        .contains("stackwright_crash_loops_total{service=\"web\",stack=\"" + STACK + "\"} 1");
    assertThat(Files.list(dir.resolve("state"))).isNotEmpty();
  }

  @Test
  void appliesTheScalingPoliciesOfTheStackFile(@TempDir Path dir) throws IOException {
    Path compose = dir.resolve("compose.yml");
    Files.writeString(
        compose,
        """
        services:
          web:
            image: stackwright/workload:test
            deploy:
              replicas: 1
              resources:
                reservations: {cpus: "0.5"}
            x-stackwright:
              autoscaling:
                min_replicas: 2
                max_replicas: 3
                interval: 1s
                metrics:
                  - cpu: 70
        """);
    Result result =
        Shell.cli(
            "watch",
            "-f",
            compose.toString(),
            "-p",
            STACK,
            "--platform",
            "compose",
            "--json",
            "--for",
            "PT12S",
            "--state-dir",
            dir.resolve("state").toString());

    assertThat(result.exitCode()).as(result.all()).isZero();
    List<JsonNode> decisions = new ArrayList<>();
    for (String line : result.out().split("\n")) {
      if (line.startsWith("{") && line.contains("SCALING_DECISION")) {
        decisions.add(JSON.readTree(line));
      }
    }
    assertThat(decisions)
        .as(result.all())
        .anySatisfy(
            d -> {
              assertThat(d.path("attributes").path("acted").asText()).isEqualTo("true");
              assertThat(d.path("attributes").path("desired").asText()).isEqualTo("2");
            });
    Result containers =
        Shell.docker(
            "ps",
            "-q",
            "--filter",
            "label=com.docker.compose.project=" + STACK,
            "--filter",
            "label=com.docker.compose.service=web");
    assertThat(containers.out().strip().split("\n"))
        .as("the idle service is raised to its minimum of 2 by the file's policy")
        .hasSize(2);
  }
}
