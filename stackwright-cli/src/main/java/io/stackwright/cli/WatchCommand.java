package io.stackwright.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Subscription;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.drift.DriftWatch;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.core.health.WebhookAlertSink;
import io.stackwright.core.state.FileStateStore;
import io.stackwright.micrometer.MicrometerMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackwright watch}: deploys a stack (or attaches to the deployed one) and keeps probing,
 * recovering and alerting as its {@code x-stackwright.health} sections say, and scaling as its
 * {@code x-stackwright.autoscaling} sections say, and watching for drift as its {@code
 * x-stackwright.drift} sections (or {@code --drift}) say, printing every event as a line (a JSON
 * object per line with {@code --json}) until stopped (Ctrl-C, or {@code --for}).
 */
@Command(
    name = "watch",
    description =
        "Deploys (or with --attach, attaches to) a stack and keeps probing, recovering, alerting,"
            + " autoscaling and watching for drift until stopped, printing events as lines.")
final class WatchCommand implements Callable<Integer> {
  @Mixin StackwrightCli.Common common;
  @Mixin StackwrightCli.Files files;

  @Option(names = "--attach", description = "Do not deploy: watch the stack as it runs.")
  boolean attach;

  @Option(names = "--webhook", description = "Post alerts as JSON to this URL.", paramLabel = "URL")
  URI webhook;

  @Option(
      names = "--webhook-secret-env",
      description = "Sign alerts with HMAC-SHA256 under the secret in this environment variable.",
      paramLabel = "VAR")
  String webhookSecretEnv;

  @Option(
      names = "--state-dir",
      description = "Where health state and history are kept (default: ~/.stackwright/state).",
      paramLabel = "DIR")
  Path stateDir;

  @Option(
      names = "--for",
      description = "Stop after this long (ISO-8601 or seconds); default: until interrupted.",
      converter = StackwrightCli.DurationConverter.class,
      paramLabel = "DURATION")
  Duration duration;

  @Option(names = "--metrics", description = "Print the metrics (Prometheus text) when stopping.")
  boolean printMetrics;

  @Option(
      names = "--metrics-port",
      description =
          "Serve the metrics for Prometheus at http://HOST:PORT/metrics while watching (0: any free"
              + " port; the address is printed).",
      paramLabel = "PORT")
  Integer metricsPort;

  @Option(
      names = "--metrics-host",
      description =
          "The address --metrics-port listens on (default: 127.0.0.1; 0.0.0.0 for every"
              + " interface).",
      paramLabel = "HOST")
  String metricsHost = "127.0.0.1";

  @Option(
      names = "--drift",
      description =
          "Watch for changes made behind Stackwright's back: off, warn (report them) or repair"
              + " (report and undo them). Default: as the file's x-stackwright.drift says (off"
              + " when it says nothing); its ignore rules and interval apply either way.",
      converter = DriftModeConverter.class,
      paramLabel = "MODE")
  DriftMode drift;

  /** {@code off}, {@code warn} or {@code repair}, in any case. */
  static final class DriftModeConverter implements CommandLine.ITypeConverter<DriftMode> {
    @Override
    public DriftMode convert(String value) {
      try {
        return DriftMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "must be off, warn or repair, not '" + value + "'");
      }
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    StackSpec stack = files.load(common.name);
    DriftPolicy driftPolicy = driftPolicy(stack);
    PrintWriter out = common.out();
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
      throw new CommandLine.ParameterException(
          common.spec.commandLine(), "--metrics-port must be 0 to 65535, not " + metricsPort);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Orchestrator.Builder builder =
        Orchestrator.builder()
            .listener(event -> print(out, event))
            .metrics(MicrometerMetrics.of(registry))
            .stateStore(
                stateDir == null
                    ? FileStateStore.atDefaultLocation()
                    : new FileStateStore(stateDir));
    if (common.platform != null) {
      builder.platform(common.platform);
    }
    if (webhook != null) {
      WebhookAlertSink.Builder sink = WebhookAlertSink.builder(webhook);
      if (webhookSecretEnv != null) {
        String secret = System.getenv(webhookSecretEnv);
        if (secret == null || secret.isEmpty()) {
          throw new CommandLine.ParameterException(
              common.spec.commandLine(),
              "environment variable " + webhookSecretEnv + " is not set");
        }
        sink.signingSecret(secret.getBytes(StandardCharsets.UTF_8));
      }
      builder.alertSink(sink.build());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    HttpServer endpoint = metricsPort == null ? null : serve(registry, out);
    try (Orchestrator orchestrator = builder.build()) {
      if (!attach) {
        DeploymentResult result =
            orchestrator.deploy(stack, DeployOptions.defaults()).await(Duration.ofMinutes(6));
        if (!result.succeeded()) {
          common.out().println("deploy " + result.outcome() + ": " + result.message());
          return StackwrightCli.FAILED;
        }
      }
      try (HealthWatch watch = orchestrator.monitor(stack);
          Subscription scaling = autoscale(orchestrator, stack);
          Subscription driftWatch = watchDrift(orchestrator, stack, driftPolicy)) {
        Thread hook = new Thread(stopped::countDown, "stackwright-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        if (duration == null) {
          stopped.await();
        } else {
          stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
          Runtime.getRuntime().removeShutdownHook(hook);
        }
      }
    } finally {
      if (endpoint != null) {
        endpoint.stop(0);
      }
    }
    if (printMetrics) {
      out.print(registry.scrape());
      out.flush();
    }
    return StackwrightCli.OK;
  }

  /** {@code GET /metrics} on {@code --metrics-host}:{@code --metrics-port}, until stopped. */
  private HttpServer serve(PrometheusMeterRegistry registry, PrintWriter out) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(metricsHost, metricsPort), 0);
    } catch (IOException e) {
      throw new OrchestratorException(
          "cannot serve the metrics on " + metricsHost + ":" + metricsPort + ": " + e.getMessage(),
          e);
    }
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream response = exchange.getResponseBody()) {
            response.write(body);
          }
        });
    server.start();
    String url =
        "http://"
            + server.getAddress().getHostString()
            + ":"
            + server.getAddress().getPort()
            + "/metrics";
    synchronized (out) {
      if (common.json) {
        ObjectNode node = CliJson.lines().createObjectNode();
        node.put("type", "metrics");
        node.put("url", url);
        out.println(node);
      } else {
        out.println("metrics at " + url);
      }
      out.flush();
    }
    return server;
  }

  /** The stack's declared drift policy, in the mode {@code --drift} names if it names one. */
  private DriftPolicy driftPolicy(StackSpec stack) {
    DriftPolicy declared = DriftPolicy.of(stack);
    return drift == null
        ? declared
        : new DriftPolicy(
            drift,
            declared.ignore(),
            declared.serviceIgnore(),
            declared.interval(),
            declared.jitter());
  }

  /** Watches for drift unless the policy is off. */
  private static Subscription watchDrift(
      Orchestrator orchestrator, StackSpec stack, DriftPolicy policy) {
    if (policy.mode() == DriftMode.OFF) {
      return () -> {};
    }
    DriftWatch watch = orchestrator.watchDrift(stack, policy);
    // A change made since the deploy (or before an --attach) shows now, not a period later.
    watch.compareNow();
    return watch;
  }

  /** Scales the services that declare {@code x-stackwright.autoscaling}; nothing otherwise. */
  private static Subscription autoscale(Orchestrator orchestrator, StackSpec stack) {
    boolean any = stack.services().values().stream().anyMatch(s -> s.scaling().isEnabled());
    return any ? orchestrator.autoscale(stack) : () -> {};
  }

  private void print(PrintWriter out, OrchestratorEvent event) {
    String line;
    if (common.json) {
      ObjectNode node = CliJson.lines().createObjectNode();
      node.put("at", event.timestamp().toString());
      node.put("type", event.type().name());
      node.put("stack", event.stack());
      node.put("subject", event.subject());
      node.put("message", event.message());
      event.attributes().forEach(node.with("attributes")::put);
      line = node.toString();
    } else {
      line = event.toString();
    }
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
