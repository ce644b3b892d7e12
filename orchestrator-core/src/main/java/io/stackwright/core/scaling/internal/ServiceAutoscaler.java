package io.stackwright.core.scaling.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.scaling.Metric;
import io.stackwright.api.scaling.MetricTarget;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.scaling.ThresholdRule;
import io.stackwright.api.spi.MetricSource;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of autoscaling for one service: read the replicas, measure, decide, act (unless dry
 * run), report. Every round that reaches a decision emits a {@link EventType#SCALING_DECISION}
 * event, acted on or not, with its inputs and reason.
 */
public final class ServiceAutoscaler {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAutoscaler.class);

  private final Platform platform;
  private final String stack;
  private final ServiceSpec service;
  private final ScalingPolicy policy;
  private final Clock clock;
  private final EventListener events;
  private final MetricsRecorder recorder;
  private final MetricCollector collector;
  private final ScalingDecider decider;
  private final List<Metric> metrics;

  public ServiceAutoscaler(
      Platform platform,
      String stack,
      ServiceSpec service,
      Map<String, MetricSource> sources,
      ExecutorService executor,
      Clock clock,
      EventListener events,
      MetricsRecorder recorder) {
    this.platform = platform;
    this.stack = stack;
    this.service = service;
    this.policy = service.scaling();
    this.clock = clock;
    this.events = events;
    this.recorder = recorder;
    this.collector = new MetricCollector(platform, stack, service, sources, executor, clock);
    this.decider = new ScalingDecider(clock);
    LinkedHashSet<Metric> all = new LinkedHashSet<>();
    policy.targets().forEach(t -> all.add(t.metric()));
    policy.rules().forEach(r -> all.add(r.metric()));
    this.metrics = List.copyOf(all);
  }

  public String service() {
    return service.name();
  }

  public Duration interval() {
    return policy.interval();
  }

  /** One round; returns the decision, or empty when the service is not running at all. */
  public Optional<ScalingDecision> round() {
    Instant started = clock.instant();
    Optional<ServiceState> state = platform.status(stack).service(service.name());
    if (state.isEmpty()) {
      LOG.debug("{}/{} does not run; nothing to scale", stack, service.name());
      return Optional.empty();
    }
    int current = Math.max(0, state.get().desiredReplicas());
    List<TaskState> replicas =
        state.get().currentTasks().stream().filter(t -> !t.status().isTerminal()).toList();
    Map<Metric, Observation> observed =
        current == 0 ? Map.of() : collector.collect(metrics, replicas, current);
    List<Proposal> proposals = new ArrayList<>();
    if (current > 0) {
      for (MetricTarget target : policy.targets()) {
        proposals.add(propose(target, observed.get(target.metric()), current));
      }
      for (ThresholdRule rule : policy.rules()) {
        proposals.add(threshold(rule, observed.get(rule.metric()), current));
      }
    }
    ScalingDecision decision = decider.decide(policy, current, proposals);
    boolean acted = false;
    if (decision.changes() && !policy.dryRun()) {
      platform.scale(stack, service.name(), decision.desired());
      decider.scaled(current, decision.desired());
      acted = true;
    }
    report(decision, acted, Duration.between(started, clock.instant()));
    return Optional.of(decision);
  }

  private Proposal propose(MetricTarget target, Observation observation, int current) {
    String name = target.metric().describe();
    if (observation instanceof Observation.PerReplica p) {
      return ReplicaCalculator.perReplica(
          name, current, p.samples(), target.target(), policy.tolerance());
    }
    if (observation instanceof Observation.ServiceTotal t) {
      return ReplicaCalculator.serviceTotal(
          name, current, t.value(), target.target(), policy.tolerance());
    }
    return Proposal.failed(
        name, observation instanceof Observation.Unavailable u ? u.reason() : "not measured");
  }

  private Proposal threshold(ThresholdRule rule, Observation observation, int current) {
    if (observation instanceof Observation.PerReplica p) {
      return decider.threshold(rule, current, p.samples());
    }
    if (observation instanceof Observation.ServiceTotal t) {
      ReplicaSample whole = new ReplicaSample("service", true, t.value() / current);
      return decider.threshold(rule, current, List.of(whole));
    }
    return Proposal.failed(rule.metric().describe(), "not measured");
  }

  private void report(ScalingDecision d, boolean acted, Duration took) {
    Map<String, String> metrics = new LinkedHashMap<>();
    for (Proposal p : d.proposals()) {
      metrics.put(
          p.metric(),
          (Double.isNaN(p.value()) ? "no value" : "value=" + ReplicaCalculator.round(p.value()))
              + " proposes="
              + (p.isValid() ? p.replicas() : "none")
              + " ("
              + p.reason()
              + ")");
    }
    String message =
        (d.changes()
                ? (policy.dryRun() ? "would scale " : "scaled ")
                    + d.current()
                    + " -> "
                    + d.desired()
                : "keeps " + d.current() + " replicas")
            + ": "
            + d.reason();
    if (d.changes()) {
      LOG.info("{}/{} {}", stack, service.name(), message);
    } else {
      LOG.debug("{}/{} {}", stack, service.name(), message);
    }
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack,
            service.name(),
            message,
            new EventDetail.ScalingDecision(
                service.name(),
                d.current(),
                d.recommended(),
                d.desired(),
                acted,
                policy.dryRun(),
                d.reason(),
                metrics)));
    Map<String, String> tags = Map.of("stack", stack, "service", service.name());
    recorder.gauge("stackwright.autoscaler.desired.replicas", tags, d.desired());
    recorder.gauge("stackwright.autoscaler.current.replicas", tags, d.current());
    recorder.gauge("stackwright.autoscaler.recommended.replicas", tags, d.recommended());
    recorder.timing("stackwright.autoscaler.round", tags, took);
    if (acted) {
      recorder.count("stackwright.autoscaler.scalings", tags, 1);
    }
    // KEDA's keda_scaler_metrics_value: what each metric read; kind is the metric as the policy
    // declares it, so its values are as few as the policy's metrics
    for (Proposal p : d.proposals()) {
      if (!Double.isNaN(p.value())) {
        recorder.gauge(
            "stackwright.autoscaler.metric.value",
            Map.of("stack", stack, "service", service.name(), "kind", p.metric()),
            p.value());
      }
    }
    recorder.count(
        "stackwright.autoscaler.decisions",
        Map.of(
            "stack",
            stack,
            "service",
            service.name(),
            "direction",
            d.desired() > d.current() ? "up" : d.desired() < d.current() ? "down" : "none",
            "outcome",
            !d.changes() ? "kept" : acted ? "scaled" : "dry_run"),
        1);
  }
}
