package io.stackwright.micrometer;

import java.util.Map;

/**
 * The description (Prometheus {@code # HELP}) of each meter Stackwright records; docs/metrics.md
 * lists the same names with their tags and their Argo / Flux / kube-state-metrics counterparts.
 */
final class MeterDescriptions {
  private static final Map<String, String> DESCRIPTIONS =
      Map.ofEntries(
          Map.entry("stackwright.jobs.submitted", "Jobs submitted, by stack and kind"),
          Map.entry("stackwright.jobs.finished", "Jobs finished, by stack, kind and outcome"),
          Map.entry("stackwright.jobs.running", "Jobs running now, by kind"),
          Map.entry("stackwright.jobs.queued", "Jobs waiting to run, by kind"),
          Map.entry(
              "stackwright.engine.requests", "Docker Engine API calls by operation and outcome"),
          Map.entry("stackwright.replicas.desired", "Replicas the spec asks for, per service"),
          Map.entry("stackwright.replicas.running", "Replicas running now, per service"),
          Map.entry("stackwright.replicas.ready", "Replicas passing their readiness checks"),
          Map.entry("stackwright.probe.results", "Probe results by probe and outcome"),
          Map.entry("stackwright.probe.duration", "Time one probe took, by probe"),
          Map.entry("stackwright.replica.crashes", "Replicas that exited or failed"),
          Map.entry("stackwright.replica.replacements", "Replicas replaced after failing"),
          Map.entry("stackwright.replica.readiness_changes", "Readiness flips, by direction"),
          Map.entry("stackwright.crash_loops", "Times a service entered a crash loop"),
          Map.entry("stackwright.service.crash_looping", "1 while a service is in a crash loop"),
          Map.entry("stackwright.autoscaler.decisions", "Scaling decisions by direction, outcome"),
          Map.entry("stackwright.autoscaler.scalings", "Scaling decisions that changed replicas"),
          Map.entry("stackwright.autoscaler.metric.value", "Metric value a scaling decision used"),
          Map.entry("stackwright.autoscaler.desired.replicas", "Replicas the autoscaler wants"),
          Map.entry("stackwright.autoscaler.current.replicas", "Replicas the autoscaler found"),
          Map.entry("stackwright.autoscaler.round", "Time one autoscaling round took"),
          Map.entry("stackwright.rollouts", "Rollouts finished, by strategy and outcome"),
          Map.entry("stackwright.rollout.phase", "1 for the phase a rollout is in, else 0"),
          Map.entry("stackwright.rollout.canary.step", "The canary step a rollout is at"),
          Map.entry("stackwright.rollout.canary.weight", "Percent of traffic on the canary"),
          Map.entry("stackwright.drift.detected", "Differences found between spec and cluster"),
          Map.entry("stackwright.drift.repaired", "Differences repaired"),
          Map.entry("stackwright.quota.hard", "A tenant's quota limit per resource"),
          Map.entry("stackwright.quota.used", "What a tenant uses of a resource"));

  private MeterDescriptions() {}

  static String of(String name) {
    return DESCRIPTIONS.get(name);
  }
}
