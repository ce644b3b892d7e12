package io.stackwright.cli;

import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.OrchestratorEvent;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows a deployment as it happens, in the mode {@link Output} chose: the live view on a terminal,
 * the plan and one line per event otherwise, one JSON object per event with {@code --json}.
 */
final class DeployProgress implements AutoCloseable {
  private final LiveView view;
  private final ServiceProgress services;
  private final Clock clock = Clock.systemUTC();

  private DeployProgress(LiveView view, ServiceProgress services) {
    this.view = view;
    this.services = services;
  }

  static DeployProgress start(
      StackwrightCli.Common common, StackSpec stack, Deployment deployment) {
    Output mode = common.output();
    PrintWriter out = common.out();
    switch (mode) {
      case json -> {
        deployment.onEvent(event -> common.printLine(eventJson(event)));
        return new DeployProgress(null, null);
      }
      case plain -> {
        out.println(deployment.plan());
        out.flush();
        deployment.onEvent(
            event -> {
              synchronized (out) {
                out.println("  " + event);
                out.flush();
              }
            });
        return new DeployProgress(null, null);
      }
      default -> {
        Map<String, Integer> replicas = new LinkedHashMap<>();
        java.util.Set<String> checked = new java.util.HashSet<>();
        for (ServiceSpec service : stack.services().values()) {
          replicas.put(service.name(), Math.max(1, service.replicas()));
          if (service.healthcheck() != null && !service.healthcheck().isDisabled()) {
            checked.add(service.name());
          }
        }
        Clock clock = Clock.systemUTC();
        ServiceProgress services =
            new ServiceProgress(stack.services().keySet(), replicas, checked, clock.instant());
        services.plan(deployment.plan(), clock.instant());
        LiveView view =
            new LiveView(out, services, clock, mode.colour(), "deploying " + stack.name());
        deployment.onEvent(services::onEvent);
        return new DeployProgress(view.start(), services);
      }
    }
  }

  /** Draws the final state: services still in progress when the deployment failed are failed. */
  void finish(DeploymentResult result) {
    if (services != null && !result.succeeded()) {
      services.failRemaining(clock.instant());
    }
  }

  static Map<String, Object> eventJson(OrchestratorEvent event) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", "event");
    json.put("at", event.timestamp().toString());
    json.put("event", event.type().name());
    json.put("stack", event.stack());
    json.put("subject", event.subject());
    json.put("message", event.message());
    json.put("attributes", event.attributes());
    return json;
  }

  @Override
  public void close() {
    if (view != null) {
      view.close();
    }
  }
}
