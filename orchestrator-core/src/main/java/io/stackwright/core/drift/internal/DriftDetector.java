package io.stackwright.core.drift.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.drift.DriftReport;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.scaling.ScalingPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the plan from the desired state to what runs into drift reports: what a person changed
 * behind Stackwright's back. Pure: the same inputs give the same reports, so it is tested with a
 * fixed clock and hand-made plans.
 *
 * <p>Not drift: the fields the policy ignores; the replica count of a service the autoscaler owns
 * (another legitimate writer); the engine's own bookkeeping (version index, update status, {@code
 * PreviousSpec}, timestamps), which no plan should show but a platform might, except a rolling
 * update the engine paused ({@link #isPausedUpdate}). Changes made by Stackwright's own jobs never
 * get here: the supervisor compares only while no job of the stack is live, against the desired
 * state the jobs accepted.
 *
 * <p>Each difference keeps the instant it was first seen for as long as it lasts ({@link #detect}).
 * A field of an update carries the instant the plan read from the live resource as its {@code
 * changedAt}; a missing or extra resource carries none (the supervisor may know an event's time).
 */
public final class DriftDetector {

  /** Field paths (and what is under them) that are the engine's bookkeeping, never drift. */
  static final List<String> BOOKKEEPING =
      List.of("Version", "PreviousSpec", "UpdateStatus", "UpdatedAt", "CreatedAt", "Meta");

  /** The paths of a service's replica count, on Swarm and on one engine. */
  static final List<String> REPLICA_PATHS = List.of("Mode.Replicated.Replicas", "replicas");

  private final Map<String, Instant> firstSeen = new HashMap<>();

  /**
   * The drift in {@code plan} (planned from {@code desired} against what runs), each with the
   * instant its difference was first seen; differences no longer present are forgotten.
   */
  public synchronized List<DriftReport> detect(
      StackSpec desired, Plan plan, DriftPolicy policy, Instant now) {
    List<DriftReport> reports = new ArrayList<>();
    for (Change change : plan.changes()) {
      if (change instanceof Change.Create c) {
        reports.add(
            report(
                desired.name(), c.kind(), c.key(), DriftReport.MISSING, "present", "absent", now));
      } else if (change instanceof Change.Delete d) {
        reports.add(
            report(desired.name(), d.kind(), d.key(), DriftReport.EXTRA, "absent", "present", now));
      } else if (change instanceof Change.Update u) {
        boolean autoscaled = autoscaled(desired, u);
        boolean onlyCount = autoscaled && onlyCount(u);
        for (FieldChange f : u.fields()) {
          if ((isBookkeeping(f.path()) && !isPausedUpdate(f))
              || policy.ignores(u.key(), f.path())
              || (autoscaled && REPLICA_PATHS.contains(f.path()))
              || onlyCount) {
            continue;
          }
          reports.add(
              new DriftReport(
                  desired.name(),
                  u.kind(),
                  u.key(),
                  f.path(),
                  f.after(),
                  f.before(),
                  now,
                  u.changedAt(),
                  null));
        }
      }
    }
    Map<String, Instant> seen = new LinkedHashMap<>();
    List<DriftReport> out = new ArrayList<>();
    for (DriftReport r : reports) {
      Instant first = firstSeen.getOrDefault(r.key(), now);
      seen.put(r.key(), first);
      out.add(
          new DriftReport(
              r.stack(),
              r.kind(),
              r.resource(),
              r.field(),
              r.desired(),
              r.live(),
              first,
              r.changedAt(),
              r.changedBy()));
    }
    firstSeen.clear();
    firstSeen.putAll(seen);
    return out;
  }

  /** Forgets when differences were first seen (after a repair, a new revision). */
  public synchronized void reset() {
    firstSeen.clear();
  }

  private static DriftReport report(
      String stack,
      ResourceKind kind,
      String key,
      String field,
      String desired,
      String live,
      Instant now) {
    return new DriftReport(stack, kind, key, field, desired, live, now, null, null);
  }

  private static boolean autoscaled(StackSpec desired, Change.Update u) {
    if (u.kind() != ResourceKind.SERVICE) {
      return false;
    }
    ServiceSpec service = desired.services().get(u.key());
    return service != null && service.scaling() != ScalingPolicy.NONE;
  }

  /**
   * On one engine a count change also lists the containers started or stopped; when the count is
   * the only change of an autoscaled service, that list is not drift either.
   */
  private static boolean onlyCount(Change.Update u) {
    return u.fields().stream()
            .allMatch(f -> REPLICA_PATHS.contains(f.path()) || f.path().equals("containers"))
        && u.fields().stream().anyMatch(f -> REPLICA_PATHS.contains(f.path()));
  }

  /**
   * Swarm's rolling update that the engine paused (a task failed: an image that no longer exists, a
   * crash), which its plan shows as {@code UpdateStatus.State} so that a write resumes it. Not
   * bookkeeping: the engine stopped replacing tasks, and nothing happens until the service is
   * written again. It is also how a repair that cannot succeed shows on Swarm (the engine accepts
   * the spec, its tasks fail): the paused update comes back after each repair, which then backs off
   * and stops with one alert like any drift that comes back.
   */
  static boolean isPausedUpdate(FieldChange f) {
    return f.path().equals("UpdateStatus.State")
        && ("paused".equals(f.before()) || "rollback_paused".equals(f.before()));
  }

  static boolean isBookkeeping(String path) {
    for (String b : BOOKKEEPING) {
      if (path.equals(b) || path.startsWith(b + ".") || path.startsWith(b + "[")) {
        return true;
      }
    }
    return false;
  }
}
