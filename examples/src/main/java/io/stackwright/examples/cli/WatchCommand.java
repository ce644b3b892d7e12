package io.stackwright.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Subscription;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.core.health.WebhookAlertSink;
import io.stackwright.core.metrics.InMemoryMetrics;
import io.stackwright.core.state.FileStateStore;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code x-stackwright.autoscaling} sections say, printing every event as a line (a JSON object per
 * line with {@code --json}) until stopped (Ctrl-C, or {@code --for}).
 */
@Command(
    name = "watch",
    description =
        "Deploys (or with --attach, attaches to) a stack and keeps probing, recovering, alerting"
            + " and autoscaling until stopped, printing events as lines.")
final class WatchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  @Override
  public Integer call() throws InterruptedException {
    StackSpec stack = files.load(common.name);
    PrintWriter out = common.out();
    InMemoryMetrics metrics = new InMemoryMetrics();
    Orchestrator.Builder builder =
        Orchestrator.builder()
            .listener(event -> print(out, event))
            .metrics(metrics)
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
          Subscription scaling = autoscale(orchestrator, stack)) {
        Thread hook = new Thread(stopped::countDown, "stackwright-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        if (duration == null) {
          stopped.await();
        } else {
          stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
          Runtime.getRuntime().removeShutdownHook(hook);
        }
      }
    }
    if (printMetrics) {
      out.print(metrics.prometheusText());
      out.flush();
    }
    return StackwrightCli.OK;
  }

  /** Scales the services that declare {@code x-stackwright.autoscaling}; nothing otherwise. */
  private static Subscription autoscale(Orchestrator orchestrator, StackSpec stack) {
    boolean any = stack.services().values().stream().anyMatch(s -> s.scaling().isEnabled());
    return any ? orchestrator.autoscale(stack) : () -> {};
  }

  private void print(PrintWriter out, OrchestratorEvent event) {
    String line;
    if (common.json) {
      ObjectNode node = JSON.createObjectNode();
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
