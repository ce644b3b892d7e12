package io.stackwright.it.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.it.Shell;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stackwright watch --metrics-port} serves the meters, and a real Prometheus (Debian's
 * package, started on a local port) scrapes them while the CLI watches a stack on the single
 * engine; the series are read back with PromQL.
 */
class CliMetricsEndpointIT {
  private static final String STACK = "mxcli";

  private Process watch;
  private PrometheusServer prometheus;

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (watch != null) {
      watch.destroy(); // SIGTERM: the CLI's shutdown hook ends the watch
      if (!watch.waitFor(30, TimeUnit.SECONDS)) {
        watch.destroyForcibly();
      }
    }
    Shell.cli("remove", "--platform", "compose", "-p", STACK);
  }

  @Test
  void prometheusScrapesTheMetricsOfAWatchingCli(@TempDir Path dir) throws Exception {
    PrometheusServer.assumeInstalled();
    Path compose = dir.resolve("compose.yml");
    Files.writeString(
        compose,
        """
        services:
          web:
            image: stackwright/workload:test
            deploy:
              replicas: 2
            x-stackwright:
              health:
                liveness:
                  http: {port: 8080, path: /health}
                  period: 500ms
        """);
    watch =
        new ProcessBuilder(
                Shell.cliCommand(
                    List.of(),
                    "watch",
                    "-f",
                    compose.toString(),
                    "-p",
                    STACK,
                    "--platform",
                    "compose",
                    "--metrics-port",
                    "0"))
            .redirectErrorStream(true)
            .start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
    Pattern address = Pattern.compile("metrics at http://127\\.0\\.0\\.1:(\\d+)/metrics");
    String target =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    for (String line; (line = lines.readLine()) != null; ) {
                      Matcher found = address.matcher(line);
                      if (found.find()) {
                        return "127.0.0.1:" + found.group(1);
                      }
                    }
                    return null;
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                })
            .get(60, TimeUnit.SECONDS);
    assertThat(target).as("the CLI printed where it serves the metrics").isNotNull();
    // The rest of the output is drained so that the CLI never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                lines.lines().forEach(line -> {});
              } catch (java.io.UncheckedIOException closed) {
                // the CLI ended
              }
            },
            "cli-output");
    drain.setDaemon(true);
    drain.start();

    prometheus = PrometheusServer.start(List.of(target), List.of());
    String stack = "{stack=\"" + STACK + "\",service=\"web\"}";
    await("the CLI's meters in Prometheus")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(prometheus.value("up{job=\"stackwright\"}")).isEqualTo(1.0);
              assertThat(prometheus.value("stackwright_replicas_desired" + stack)).isEqualTo(2.0);
              assertThat(prometheus.value("stackwright_replicas_ready" + stack)).isEqualTo(2.0);
              assertThat(
                      prometheus.value(
                          "sum(stackwright_probe_results_total{stack=\""
                              + STACK
                              + "\",probe=\"liveness\",outcome=\"passed\"})"))
                  .isGreaterThan(0.0);
            });
  }
}
